import { bool, defineEnv, int } from '../config/define-env.js';

export const videosEnv = defineEnv('videos', {
  IMAGE_MAX_BYTES: int(10 * 1024 * 1024, 1024, 50 * 1024 * 1024),
  IMAGE_MAX_PIXELS: int(36_000_000, 10_000, 100_000_000),
  IMAGE_FETCH_TIMEOUT_MS: int(10_000, 100, 60_000),
  /** Dev/test only: lets image URLs point at loopback and private networks. Never in production. */
  ALLOW_PRIVATE_IMAGE_URLS: bool(false),
  VIDEO_MAX_ATTEMPTS: int(3, 1, 10),
  VIDEO_RETRY_DELAY_MS: int(2_000, 0, 600_000),
  VIDEO_MAX_DURATION_SECONDS: int(10, 1, 60),
  /** A queued video older than this with no job is re-enqueued by the sweep. */
  STALE_QUEUED_AFTER_MS: int(120_000, 0, 24 * 3600_000),
  STALE_QUEUED_SWEEP_MS: int(60_000, 1_000, 3600_000),
  OUTPUT_MAX_BYTES: int(200 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024),
});
