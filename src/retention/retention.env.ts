import { defineEnv, int } from '../platform/config/define-env.js';

export const retentionEnv = defineEnv('retention', {
  /** How often the retention sweep runs (the job scheduler on the maintenance queue). */
  RETENTION_SWEEP_MS: int(3_600_000, 1_000, 24 * 3_600_000),
  /** Rows read per query; each row's objects are deleted and the row marked before the next. */
  RETENTION_BATCH_SIZE: int(100, 1, 1_000),
  /** Rows one sweep handles at most, so one run stays short; the next run continues. */
  RETENTION_MAX_PER_RUN: int(5_000, 1, 1_000_000),
  /** Videos plus files one erase request deletes at most; the answer says when to call again. */
  ERASE_MAX_PER_REQUEST: int(1_000, 1, 100_000),
});
