import { z } from 'zod';
import { defineEnv, int } from '../config/define-env.js';

export const queueEnv = defineEnv('queue', {
  WORKER_CONCURRENCY: int(4, 1, 256),
  /** How long a worker's claim on a job lasts without renewal: a dead worker's job is stalled after this. */
  WORKER_LOCK_MS: int(30_000, 1_000, 600_000),
  /** How often workers look for stalled jobs (BullMQ fails a job on its second stall). */
  WORKER_STALLED_INTERVAL_MS: int(30_000, 500, 600_000),
  /**
   * On SIGTERM a worker stops taking jobs and lets running ones finish for this long, then puts
   * the rest back in the queue for another worker. Keep the pod's termination grace above it.
   */
  WORKER_DRAIN_MS: int(300_000, 0, 3_600_000),
  /** Port of the worker's health and metrics server (/health/live, /health/ready, /metrics); 0 (the default, so local workers never collide) turns it off. The Helm chart sets 9464. */
  WORKER_HEALTH_PORT: int(0, 0, 65535),
  /** Address the worker's health server binds. */
  WORKER_HEALTH_HOST: z.string().default('127.0.0.1'),
});
