import { defineEnv, int } from '../platform/config/define-env.js';

/** How long the append-only tables keep rows (README "Data retention"), and the sweep of tenants' content past their plan's retention_days. */
export const retentionEnv = defineEnv('retention', {
  /** Events (`GET /v1/events`, SSE replay, redelivery) are kept this long. */
  EVENTS_RETENTION_DAYS: int(30, 1, 3650),
  /** Finished webhook deliveries (their attempt log, `recover`) are kept this long; pending ones until they finish. */
  WEBHOOK_DELIVERY_RETENTION_DAYS: int(30, 1, 3650),
  /** How often the worker purges; a pass that filled a batch goes on at once. */
  RETENTION_PURGE_INTERVAL_MS: int(3_600_000, 1_000, 86_400_000),
  /** Rows deleted per table per pass, so a purge never holds long locks or a long transaction. */
  RETENTION_PURGE_BATCH: int(1_000, 1, 100_000),
  /** How often the retention sweep runs (the job scheduler on the maintenance queue). */
  RETENTION_SWEEP_MS: int(3_600_000, 1_000, 24 * 3_600_000),
  /** Rows read per query; each row's objects are deleted and the row marked before the next. */
  RETENTION_BATCH_SIZE: int(100, 1, 1_000),
  /** Rows one sweep handles at most, so one run stays short; the next run continues. */
  RETENTION_MAX_PER_RUN: int(5_000, 1, 1_000_000),
  /** Videos plus files one erase request deletes at most; the answer says when to call again. */
  ERASE_MAX_PER_REQUEST: int(1_000, 1, 100_000),
});
