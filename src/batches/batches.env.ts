import { defineEnv, int } from '../platform/config/define-env.js';

export const batchesEnv = defineEnv('batches', {
  /** Items in a JSON body (`{items: [...]}`). */
  BATCH_MAX_INLINE_ITEMS: int(1_000, 1, 10_000),
  /** Items in an uploaded JSONL or CSV file (the plan's max_batch_size may allow fewer). */
  BATCH_MAX_FILE_ITEMS: int(50_000, 1, 1_000_000),
  /** A JSON body of POST /v1/batches (inline items may carry data-URI images). */
  BATCH_JSON_MAX_BYTES: int(32 * 1024 * 1024, 1024, 512 * 1024 * 1024),
  /** How often each worker's scheduler hands waiting batch items to the queue and finishes batches. */
  BATCH_SCHEDULE_INTERVAL_MS: int(500, 10, 60_000),
  /**
   * Added to the plan's queue priority for batch items (BullMQ: lower runs first), so every
   * interactive video (priority = the plan's, 1–10) is taken before any batch item.
   */
  BATCH_PRIORITY_OFFSET: int(100, 11, 1_000_000),
  /**
   * Batch items of one tenant waiting in the queue at once (handed over, not yet started). Items
   * of the same priority run in queue order, so this bounds how long another tenant's batch item
   * waits behind this tenant's: the batches take turns in slices of this size.
   */
  BATCH_QUEUED_PER_TENANT: int(10, 1, 10_000),
  /** Rows per multi-row INSERT when a batch is written. */
  BATCH_INSERT_CHUNK: int(1_000, 1, 10_000),
  /** Data-URI images checked and stored at once by one process, shared by all the batches being created in it (bounds their memory). */
  BATCH_IMAGE_CONCURRENCY: int(8, 1, 64),
  /** A batch still `validating` after this long (its API process died while writing it) is failed by the scheduler. */
  BATCH_VALIDATING_TIMEOUT_MS: int(10 * 60_000, 1_000, 24 * 3600_000),
});
