import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { connectionFromUrl } from '../platform/queue/queue.module.js';
import { queueEnv } from '../platform/queue/queue.env.js';

/**
 * The Redis connection for state every worker must share (slots, breakers, health). Keys live
 * under the queue prefix so a deployment (or a test file) only sees its own.
 */
@Injectable()
export class BackendsRedis implements OnModuleDestroy {
  readonly client: Redis;
  private readonly prefix: string;

  constructor() {
    const env = queueEnv.get();
    // Fail fast: a worker must not hang on Redis while holding a job.
    this.client = new Redis({ ...connectionFromUrl(env.REDIS_URL), maxRetriesPerRequest: 2 });
    this.prefix = `${env.QUEUE_PREFIX}:gpu`;
  }

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
