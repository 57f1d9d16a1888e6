import { z } from 'zod';
import { defineEnv } from '../config/define-env.js';

export const redisEnv = defineEnv('redis', {
  /** The one Redis: BullMQ queues, limits, the key cache's invalidations and the backends' shared state. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
  /** Namespaces every key (BullMQ's and ours); tests give each file its own so suites can run in parallel. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9:_-]+$/)
    .default('leoma'),
});
