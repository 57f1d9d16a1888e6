import { defineEnv, int } from '../platform/config/define-env.js';
import { MAX_DURATION_SECONDS } from '../core/video-format.js';

export const videosEnv = defineEnv('videos', {
  VIDEO_MAX_ATTEMPTS: int(3, 1, 10),
  VIDEO_RETRY_DELAY_MS: int(2_000, 0, 600_000),
  VIDEO_FPS: int(24, 8, 60),
  /** The platform's cap, at most MAX_DURATION_SECONDS; a plan may allow less, never more. */
  VIDEO_MAX_DURATION_SECONDS: int(10, 1, MAX_DURATION_SECONDS),
  /** A queued video older than this with no job is re-enqueued by the sweep. */
  STALE_QUEUED_AFTER_MS: int(120_000, 0, 24 * 3600_000),
  STALE_QUEUED_SWEEP_MS: int(60_000, 1_000, 3600_000),
  OUTPUT_MAX_BYTES: int(200 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024),
});
