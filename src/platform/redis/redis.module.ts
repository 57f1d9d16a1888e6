import { type DynamicModule, Global, Module } from '@nestjs/common';
import { REDIS_OUTAGES, RedisClient, type RedisOutages } from './redis.client.js';

/** The one command connection per process (limits, caches, backend state, pub/sub publishing). */
@Global()
@Module({})
export class RedisModule {
  /**
   * `fail-fast` for the API (a request meets an outage with a retriable 503 at once), `wait` for
   * workers: their commands wait for Redis (or the master Sentinel promotes) as BullMQ's own do.
   */
  static forRole(outages: RedisOutages): DynamicModule {
    return { module: RedisModule, providers: [{ provide: REDIS_OUTAGES, useValue: outages }, RedisClient], exports: [RedisClient] };
  }
}
