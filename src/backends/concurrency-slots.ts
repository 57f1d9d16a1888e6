import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { BackendsRedis } from './redis-client.js';
import { backendsEnv } from './backends.env.js';

// A sorted set per backend: member = lease token, score = expiry (Redis clock, ms). Expired
// leases are dropped before counting, so a worker that died frees its slot after SLOT_LEASE_MS.
// Redis' own clock is used so workers with skewed clocks still agree.
const NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";
const ACQUIRE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;
const RENEW = `${NOW}
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;
const COUNT = `${NOW}
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`;

export interface SlotLease {
  release(): Promise<void>;
}

/** Per-backend concurrency limits held in Redis, so the limit holds across every worker process. */
@Injectable()
export class ConcurrencySlots {
  constructor(private readonly redis: BackendsRedis) {}

  /** A lease on one slot, renewed until released; null when the backend is full. */
  async acquire(backendId: string, max: number): Promise<SlotLease | null> {
    const ttl = backendsEnv.get().SLOT_LEASE_MS;
    const key = this.redis.key('slots', backendId);
    const token = randomUUID();
    const got = await this.redis.client.eval(ACQUIRE, 1, key, max, token, ttl);
    if (got !== 1) return null;
    const renew = setInterval(() => void this.redis.client.eval(RENEW, 1, key, token, ttl).catch(() => 0), Math.floor(ttl / 3));
    renew.unref();
    return {
      release: async () => {
        clearInterval(renew);
        await this.redis.client.zrem(key, token);
      },
    };
  }

  async inFlight(backendId: string): Promise<number> {
    return Number(await this.redis.client.eval(COUNT, 1, this.redis.key('slots', backendId)));
  }
}
