import { defineEnv, int } from '../config/define-env.js';

export const queueEnv = defineEnv('queue', {
  WORKER_CONCURRENCY: int(4, 1, 256),
  /** How long a worker's claim on a job lasts without renewal: a dead worker's job is stalled after this. */
  WORKER_LOCK_MS: int(30_000, 1_000, 600_000),
  /** How often workers look for stalled jobs (BullMQ fails a job on its second stall). */
  WORKER_STALLED_INTERVAL_MS: int(30_000, 500, 600_000),
});
