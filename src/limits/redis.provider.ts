import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { connectionFromUrl } from '../queue/queue.module.js';
import { queueEnv } from '../queue/queue.env.js';

/** One command connection per process for limits, caches and pub/sub publishing. */
@Injectable()
export class RedisClient implements OnModuleDestroy {
  readonly redis: Redis;
  /** Namespaces every key; shares QUEUE_PREFIX so test files and environments stay apart. */
  readonly prefix: string;

  constructor() {
    const env = queueEnv.get();
    // Unlike BullMQ's blocking workers, request-path calls should fail fast when Redis is down.
    this.redis = new Redis({ ...connectionFromUrl(env.REDIS_URL), maxRetriesPerRequest: 2, lazyConnect: false });
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

export const InjectRedis = () => Inject(RedisClient);
