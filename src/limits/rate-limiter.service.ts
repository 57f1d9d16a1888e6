import { Injectable } from '@nestjs/common';
import { RedisClient } from '../platform/redis/redis.client.js';
import { limitsCall } from './limits-call.js';
import { GCRA_LUA } from './gcra.lua.js';
import type { TenantPrincipal } from '../core/auth/principal.js';

/** The outcome of one request against its buckets, with the IETF RateLimit headers that describe it. */
export interface RateVerdict {
  allowed: boolean;
  /** Whole seconds until a retry can succeed (at least 1); meaningful when not allowed. */
  retryAfterSeconds: number;
  headers: { 'RateLimit-Policy': string; RateLimit: string };
}

interface Bucket {
  name: 'tenant' | 'key';
  key: string;
  perMinute: number;
}

/** Per-tenant (per mode) and per-key request rates (GCRA in one Lua call), reported in the IETF RateLimit headers. */
@Injectable()
export class RateLimiter {
  constructor(private readonly client: RedisClient) {
    client.redis.defineCommand('leomaGcra', { lua: GCRA_LUA });
  }

  async check(who: TenantPrincipal): Promise<RateVerdict> {
    // A tenant's test keys share a bucket of their own (test mode's rate), so a sandbox burst never throttles live traffic.
    const tenantBucket = who.livemode ? who.tenantId : `${who.tenantId}:test`;
    const buckets: Bucket[] = [{ name: 'tenant', key: `${this.client.prefix}:rl:t:${tenantBucket}`, perMinute: who.limits.requests_per_minute }];
    if (who.keyLimits.requestsPerMinute !== null) {
      buckets.push({
        name: 'key',
        key: `${this.client.prefix}:rl:k:${who.keyId}`,
        perMinute: Math.min(who.keyLimits.requestsPerMinute, who.limits.requests_per_minute),
      });
    }
    const args = buckets.flatMap((b) => [60_000 / b.perMinute, b.perMinute]);
    const redis = this.client.redis as unknown as { leomaGcra(n: number, ...a: (string | number)[]): Promise<number[]> };
    const [allowed, retryMs, ...state] = await limitsCall(redis.leomaGcra(buckets.length, ...buckets.map((b) => b.key), ...args));
    return {
      allowed: Boolean(allowed),
      retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)),
      headers: {
        'RateLimit-Policy': buckets.map((b) => `"${b.name}";q=${b.perMinute};w=60`).join(', '),
        RateLimit: buckets.map((b, i) => `"${b.name}";r=${state[2 * i]};t=${Math.ceil(state[2 * i + 1] / 1000)}`).join(', '),
      },
    };
  }
}
