import { Injectable, Logger } from '@nestjs/common';
import { RedisClient } from '../../platform/redis/redis.client.js';
import { ProblemException } from '../../platform/http/problem.js';
import { authEnv } from './auth.env.js';

const WINDOW_MS = 60_000;

// One atomic step each: count a failure (the window starts with the first), and read count and time left.
const RECORD_LUA = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;
const READ_LUA = `return { tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1]) }`;

interface ThrottleCommands {
  leomaAuthFail(n: number, key: string, windowMs: number): Promise<number>;
  leomaAuthRead(n: number, key: string): Promise<[number, number]>;
}

/**
 * Forged keys are cheap to make (the checksum is public) and each costs a hash and a lookup, so
 * failed authentications are counted per client address across replicas. An address past
 * AUTH_FAILURES_PER_MINUTE is refused (429) before its key is looked at, until its window ends.
 * Unlike the tenant limits it steps aside while Redis is down (logged): operator keys are not
 * metered, and the admin API must stay usable in that incident. Tenant requests still fail closed
 * at the rate limiter, and the negative key cache still absorbs a repeated forged key.
 */
@Injectable()
export class FailedAuthThrottle {
  private readonly logger = new Logger(FailedAuthThrottle.name);
  private readonly redis: ThrottleCommands;

  constructor(private readonly client: RedisClient) {
    client.redis.defineCommand('leomaAuthFail', { lua: RECORD_LUA });
    client.redis.defineCommand('leomaAuthRead', { lua: READ_LUA });
    this.redis = client.redis as unknown as ThrottleCommands;
  }

  async refuseIfBlocked(address: string): Promise<void> {
    const read = await this.call(this.redis.leomaAuthRead(1, this.key(address)));
    if (!read) return;
    const [count, ttlMs] = read;
    if (count < authEnv.get().AUTH_FAILURES_PER_MINUTE) return;
    const retryAfter = String(Math.max(1, Math.ceil(ttlMs / 1000)));
    throw new ProblemException(429, 'too_many_failed_authentications', `Too many failed authentications from this address; retry in ${retryAfter} s.`, {
      headers: { 'Retry-After': retryAfter },
    });
  }

  async recordFailure(address: string): Promise<void> {
    await this.call(this.redis.leomaAuthFail(1, this.key(address), WINDOW_MS));
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
