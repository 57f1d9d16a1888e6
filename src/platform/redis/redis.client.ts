import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { connectionFromUrl } from './redis-connection.js';
import { redisEnv } from './redis.env.js';

/** One command connection per process for limits, caches, backend state and pub/sub publishing. */
@Injectable()
export class RedisClient implements OnModuleDestroy {
  readonly redis: Redis;
  /** QUEUE_PREFIX: every key of this deployment (or test file) lives under it. */
  readonly namespace: string;
  /** This client's own keys (limits, key-cache channel). */
  readonly prefix: string;

  constructor() {
    const env = redisEnv.get();
    // Unlike BullMQ's blocking workers, request-path calls should fail fast when Redis is down.
    this.redis = new Redis({ ...connectionFromUrl(env.REDIS_URL), maxRetriesPerRequest: 2, lazyConnect: false });
    this.namespace = env.QUEUE_PREFIX;
    this.prefix = `${env.QUEUE_PREFIX}:lim`;
  }

  /** A second connection for SUBSCRIBE, which takes a connection over. */
  subscriber(): Redis {
    return this.redis.duplicate();
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
