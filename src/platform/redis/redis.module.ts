import { Global, Module } from '@nestjs/common';
import { RedisClient } from './redis.client.js';

/** The one command connection per process (limits, caches, backend state, pub/sub publishing). */
@Global()
@Module({
  providers: [RedisClient],
  exports: [RedisClient],
})
export class RedisModule {}
