import { defineEnv, int } from '../config/define-env.js';

export const queueEnv = defineEnv('queue', {
  WORKER_CONCURRENCY: int(4, 1, 256),
});
