import { defineEnv, int } from '../platform/config/define-env.js';

/** How long the append-only tables keep rows (README "Data retention"). */
export const retentionEnv = defineEnv('retention', {
  /** Events (`GET /v1/events`, SSE replay, redelivery) are kept this long. */
  EVENTS_RETENTION_DAYS: int(30, 1, 3650),
  /** Finished webhook deliveries (their attempt log, `recover`) are kept this long; pending ones until they finish. */
  WEBHOOK_DELIVERY_RETENTION_DAYS: int(30, 1, 3650),
  /** How often the worker purges; a pass that filled a batch goes on at once. */
  RETENTION_PURGE_INTERVAL_MS: int(3_600_000, 1_000, 86_400_000),
  /** Rows deleted per table per pass, so a purge never holds long locks or a long transaction. */
  RETENTION_PURGE_BATCH: int(1_000, 1, 100_000),
});
