import { type DynamicModule, Global, Module } from '@nestjs/common';
import { RedisClient, type RedisOutages } from './redis.client.js';
import { checkRedisTls } from './redis-tls-check.js';
import { redisEnv } from './redis.env.js';

/** The one command connection per process (limits, caches, backend state, pub/sub publishing). */
@Global()
@Module({})
export class RedisModule {
  /**
   * `fail-fast` for the API (a request meets an outage with a retriable 503 at once), `wait` for
   * workers: their commands wait for Redis (or the master Sentinel promotes) as BullMQ's own do.
   */
  static forRole(outages: RedisOutages): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: RedisClient,
          // Before the app starts: a TLS setup that can never work stops the process here, with the setting to fix.
          useFactory: async () => {
            await checkRedisTls(redisEnv.get());
            return new RedisClient(outages);
          },
        },
      ],
      exports: [RedisClient],
    };
  }
}
