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

/** The requests of one set of buckets waiting for the next call, and the call's arguments. */
interface Batch {
  buckets: Bucket[];
  waiting: { resolve: (v: RateVerdict) => void; reject: (e: unknown) => void }[];
}

/** Values per request in the script's answer: allowed, retry, then remaining and reset per bucket. */
const perRequest = (buckets: number) => 2 + 2 * buckets;

/**
 * Per-tenant (per mode) and per-key request rates (GCRA in one Lua call), reported in the IETF
 * RateLimit headers.
 *
 * One call per set of buckets at a time (issue 36: this call was a quarter of GET /v1/me's CPU
 * under load, one Redis round trip per request): a request whose buckets already have a call in
 * flight waits, and all that waited go in the next call together, each taken in order as a call
 * of its own would be (gcra.lua.ts). A lone request still makes exactly one call; a burst of a
 * tenant's requests makes two or three instead of one each. Nothing is counted in the process.
 */
@Injectable()
export class RateLimiter {
  private readonly queued = new Map<string, Batch>();
  private readonly inFlight = new Set<string>();

  constructor(private readonly client: RedisClient) {
    client.redis.defineCommand('leomaGcra', { lua: GCRA_LUA });
  }

  check(who: TenantPrincipal): Promise<RateVerdict> {
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
    // The rates are part of the identity: a plan change mid-burst starts a batch of its own.
    const id = buckets.map((b) => `${b.key}=${b.perMinute}`).join(' ');
    return new Promise((resolve, reject) => {
      let batch = this.queued.get(id);
      if (!batch) this.queued.set(id, (batch = { buckets, waiting: [] }));
      batch.waiting.push({ resolve, reject });
      if (!this.inFlight.has(id)) this.send(id);
    });
  }

  private send(id: string): void {
    const batch = this.queued.get(id);
    if (!batch) return;
    this.queued.delete(id);
    this.inFlight.add(id);
    const { buckets, waiting } = batch;
    const args = buckets.flatMap((b) => [60_000 / b.perMinute, b.perMinute]);
    const redis = this.client.redis as unknown as { leomaGcra(n: number, ...a: (string | number)[]): Promise<number[]> };
    limitsCall(redis.leomaGcra(buckets.length, ...buckets.map((b) => b.key), waiting.length, ...args))
      .then(
        (out) => {
          const policy = buckets.map((b) => `"${b.name}";q=${b.perMinute};w=60`).join(', ');
          const size = perRequest(buckets.length);
          waiting.forEach((w, j) => {
            const [allowed, retryMs, ...state] = out.slice(j * size, (j + 1) * size);
            w.resolve({
              allowed: Boolean(allowed),
              retryAfterSeconds: Math.max(1, Math.ceil(retryMs! / 1000)),
              headers: {
                'RateLimit-Policy': policy,
                RateLimit: buckets.map((b, i) => `"${b.name}";r=${state[2 * i]};t=${Math.ceil(state[2 * i + 1]! / 1000)}`).join(', '),
              },
            });
          });
        },
        (e: unknown) => {
          for (const w of waiting) w.reject(e);
        },
      )
      .finally(() => {
        this.inFlight.delete(id);
        this.send(id);
      });
  }
}
