import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { connectionFromUrl } from '../queue/queue.module.js';
import { ProblemException } from '../http/problem.js';
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

/**
 * Limits fail closed: without Redis nothing can be counted, so the request is refused with a
 * retryable 503 rather than let through unmetered or answered with a bare 500.
 */
export async function limitsCall<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof ProblemException) throw e;
    throw new ProblemException(503, 'service_unavailable', 'Limits cannot be checked right now; nothing was counted. Retry shortly.', { headers: { 'Retry-After': '2' } });
  }
}
