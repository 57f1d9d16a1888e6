import { z } from 'zod';
import { defineEnv, int } from '../config/define-env.js';

export const queueEnv = defineEnv('queue', {
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
  /** BullMQ key prefix; tests give each file its own so suites can run in parallel. */
  QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9:_-]+$/).default('leoma'),
  WORKER_CONCURRENCY: int(4, 1, 256),
});
