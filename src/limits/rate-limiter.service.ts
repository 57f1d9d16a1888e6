import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { limitsCall, RedisClient } from './redis.provider.js';
import { GCRA_LUA } from './gcra.lua.js';
import { ProblemException } from '../common/problem.js';
import type { TenantPrincipal } from '../auth/principal.js';

interface Bucket {
  name: 'tenant' | 'key';
  key: string;
  perMinute: number;
}

/** Per-tenant and per-key request rates (GCRA in one Lua call), reported in the IETF RateLimit headers. */
@Injectable()
export class RateLimiter {
  constructor(private readonly client: RedisClient) {
    client.redis.defineCommand('leomaGcra', { lua: GCRA_LUA });
  }

  async check(who: TenantPrincipal, res: Response): Promise<void> {
    const buckets: Bucket[] = [{ name: 'tenant', key: `${this.client.prefix}:rl:t:${who.tenantId}`, perMinute: who.limits.requests_per_minute }];
    if (who.keyLimits.requestsPerMinute !== null) {
      buckets.push({ name: 'key', key: `${this.client.prefix}:rl:k:${who.keyId}`, perMinute: Math.min(who.keyLimits.requestsPerMinute, who.limits.requests_per_minute) });
    }
    const args = buckets.flatMap((b) => [60_000 / b.perMinute, b.perMinute]);
    const redis = this.client.redis as unknown as { leomaGcra(n: number, ...a: (string | number)[]): Promise<number[]> };
    const [allowed, retryMs, ...state] = await limitsCall(redis.leomaGcra(buckets.length, ...buckets.map((b) => b.key), ...args));
    res.setHeader('RateLimit-Policy', buckets.map((b) => `"${b.name}";q=${b.perMinute};w=60`).join(', '));
    res.setHeader('RateLimit', buckets.map((b, i) => `"${b.name}";r=${state[2 * i]};t=${Math.ceil(state[2 * i + 1] / 1000)}`).join(', '));
    if (!allowed) {
      const retryAfter = String(Math.max(1, Math.ceil(retryMs / 1000)));
      throw new ProblemException(429, 'rate_limited', `Too many requests: retry after ${retryAfter} s.`, { headers: { 'Retry-After': retryAfter } });
    }
  }
}
