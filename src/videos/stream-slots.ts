import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../platform/http/domain-error.js';
import { RedisClient } from '../platform/redis/redis.client.js';
import { limitsCall } from '../limits/index.js';
import { videosEnv } from './videos.env.js';

/**
 * Takes a slot for one stream when the tenant has fewer than ARGV[2] live ones. Slots are members
 * of a sorted set scored by when they expire: streams live at most EVENTS_STREAM_MAX_MS, so a slot
 * left behind by a crashed process frees itself without any heartbeat.
 * KEYS: the tenant's set. ARGV: member, cap, slot lifetime (ms). Returns 1 when taken, else 0.
 */
const ACQUIRE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
`;

/** Room for slow or crashed releases: a slot outlives its stream's maximum by this much. */
const SLOT_GRACE_MS = 60_000;
const RETRY_AFTER_SECONDS = '5';

/** Caps open event streams per tenant (across replicas, in Redis) and per process. */
@Injectable()
export class StreamSlots {
  private open = 0;

  constructor(private readonly client: RedisClient) {
    client.redis.defineCommand('leomaStreamSlot', { numberOfKeys: 1, lua: ACQUIRE_LUA });
  }

  /** Takes a slot or throws 503 (this process is full) / 429 (the tenant is); returns its release. */
  async acquire(tenantId: string): Promise<() => Promise<void>> {
    const env = videosEnv.get();
    if (this.open >= env.EVENTS_STREAM_MAX_PER_PROCESS) {
      throw new DomainError(
        'stream_capacity_reached',
        'This server has no room for another event stream right now; retry shortly.',
        {},
        { 'Retry-After': RETRY_AFTER_SECONDS },
      );
    }
    const key = `${this.client.prefix}:sse:${tenantId}`;
    const member = randomUUID();
    const redis = this.client.redis as unknown as { leomaStreamSlot(key: string, member: string, cap: number, ttlMs: number): Promise<number> };
    this.open++;
    let taken = 0;
    try {
      taken = await limitsCall(redis.leomaStreamSlot(key, member, env.EVENTS_STREAM_MAX_PER_TENANT, env.EVENTS_STREAM_MAX_MS + SLOT_GRACE_MS));
    } finally {
      if (!taken) this.open--;
    }
    if (!taken) {
      throw new DomainError(
        'too_many_streams',
        `At most ${env.EVENTS_STREAM_MAX_PER_TENANT} event streams may be open at once; close one or retry later.`,
        { max_streams: env.EVENTS_STREAM_MAX_PER_TENANT },
        { 'Retry-After': RETRY_AFTER_SECONDS },
      );
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.open--;
      await this.client.redis.zrem(key, member).catch(() => undefined);
    };
  }
}
