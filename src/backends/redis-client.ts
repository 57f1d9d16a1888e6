import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisClient } from '../platform/redis/redis.client.js';

/**
 * State every worker must share (slots, breakers, health) on the process's one Redis connection
 * (fail-fast, like all request-path calls: a worker must not hang on Redis while holding a job).
 * Keys live under the queue prefix so a deployment (or a test file) only sees its own.
 */
@Injectable()
export class BackendsRedis {
  readonly client: Redis;
  private readonly prefix: string;

  constructor(shared: RedisClient) {
    this.client = shared.redis;
    this.prefix = `${shared.namespace}:gpu`;
  }

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }
}
