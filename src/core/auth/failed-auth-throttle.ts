import { Injectable, Logger } from '@nestjs/common';
import { RedisClient } from '../../platform/redis/redis.client.js';
import { ProblemException } from '../../platform/http/problem.js';
import { authEnv } from './auth.env.js';

const WINDOW_MS = 60_000;
/** Addresses whose reading is kept; past it the oldest is dropped (a missing reading only costs a Redis read). */
const MAX_ADDRESSES = 10_000;

// One atomic step each: count a failure (the window starts with the first), and read count and time
// left. Both answer the count and the window's remaining milliseconds, which the local reading keeps.
const RECORD_LUA = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { n, redis.call('PTTL', KEYS[1]) }`;
const READ_LUA = `return { tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1]) }`;

interface ThrottleCommands {
  leomaAuthFail(n: number, key: string, windowMs: number): Promise<[number, number]>;
  leomaAuthRead(n: number, key: string): Promise<[number, number]>;
}

/** What this process last learnt of an address's failures: the count, when its window ends, when it was read. */
interface Reading {
  count: number;
  windowEndsAt: number;
  readAt: number;
}

/**
 * Forged keys are cheap to make (the checksum is public) and each costs a hash and a lookup, so
 * failed authentications are counted per client address across replicas. An address past
 * AUTH_FAILURES_PER_MINUTE is refused (429) before its key is looked at, until its window ends.
 * Unlike the tenant limits it steps aside while Redis is down (logged): operator keys are not
 * metered, and the admin API must stay usable in that incident. Tenant requests still fail closed
 * at the rate limiter, and the negative key cache still absorbs a repeated forged key.
 *
 * Every authenticated request passes here, so the count is read from Redis at most once per
 * AUTH_FAILURE_CACHE_MS per address and process (issue 36: a Redis round trip per request was a
 * third of GET /v1/me's cost). A failure this process records replaces its reading at once with
 * the count Redis answered, so its own refusals are exact; failures other replicas counted are
 * seen within AUTH_FAILURE_CACHE_MS.
 */
@Injectable()
export class FailedAuthThrottle {
  private readonly logger = new Logger(FailedAuthThrottle.name);
  private readonly redis: ThrottleCommands;
  private readonly readings = new Map<string, Reading>();
  private readonly reads = new Map<string, Promise<Reading | undefined>>();

  constructor(private readonly client: RedisClient) {
    client.redis.defineCommand('leomaAuthFail', { lua: RECORD_LUA });
    client.redis.defineCommand('leomaAuthRead', { lua: READ_LUA });
    this.redis = client.redis as unknown as ThrottleCommands;
  }

  async refuseIfBlocked(address: string): Promise<void> {
    const now = Date.now();
    let reading = this.readings.get(address);
    if (!reading || now - reading.readAt >= authEnv.get().AUTH_FAILURE_CACHE_MS) {
      reading = await this.read(address, now);
      if (!reading) return;
    }
    if (reading.count < authEnv.get().AUTH_FAILURES_PER_MINUTE || reading.windowEndsAt <= now) return;
    const retryAfter = String(Math.max(1, Math.ceil((reading.windowEndsAt - now) / 1000)));
    throw new ProblemException(429, 'too_many_failed_authentications', `Too many failed authentications from this address; retry in ${retryAfter} s.`, {
      headers: { 'Retry-After': retryAfter },
    });
  }

  async recordFailure(address: string): Promise<void> {
    const counted = await this.call(this.redis.leomaAuthFail(1, this.key(address), WINDOW_MS));
    if (!counted) return;
    // Concurrent failures answer in any order: the highest count of the same window is the truth.
    const previous = this.readings.get(address);
    const now = Date.now();
    if (previous && previous.windowEndsAt > now && previous.count > counted[0]) return;
    this.remember(address, counted, now);
  }

  /**
   * One Redis read per address at a time: the requests that find no fresh reading while it is in
   * flight wait for it instead of each sending their own (a burst, or every request in flight when
   * a reading expires under load, would otherwise pay the round trip the cache exists to save).
   */
  private read(address: string, now: number): Promise<Reading | undefined> {
    let pending = this.reads.get(address);
    if (!pending) {
      pending = this.call(this.redis.leomaAuthRead(1, this.key(address)))
        .then((read) => (read ? this.remember(address, read, now) : undefined))
        .finally(() => this.reads.delete(address));
      this.reads.set(address, pending);
    }
    return pending;
  }

  private remember(address: string, [count, ttlMs]: [number, number], now: number): Reading {
    const reading = { count, windowEndsAt: now + Math.max(0, ttlMs), readAt: now };
    this.readings.delete(address);
    if (this.readings.size >= MAX_ADDRESSES) this.readings.delete(this.readings.keys().next().value!);
    this.readings.set(address, reading);
    return reading;
  }

  private key(address: string): string {
    return `${this.client.prefix}:authfail:${address}`;
  }

  private async call<T>(call: Promise<T>): Promise<T | undefined> {
    try {
      return await call;
    } catch (e) {
      this.logger.warn(`failed-authentication throttle skipped, Redis unavailable: ${(e as Error).message}`);
      return undefined;
    }
  }
}
