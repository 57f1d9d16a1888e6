import { defineEnv, int } from '../platform/config/define-env.js';
import { MAX_DURATION_SECONDS } from '../core/video-format.js';

const HOUR = 3_600_000;

export const videosEnv = defineEnv('videos', {
  VIDEO_MAX_ATTEMPTS: int(3, 1, 10),
  VIDEO_RETRY_DELAY_MS: int(2_000, 0, 600_000),
  /** The platform's cap, at most MAX_DURATION_SECONDS; a plan may allow less, never more. */
  VIDEO_MAX_DURATION_SECONDS: int(10, 1, MAX_DURATION_SECONDS),
  /** A queued video older than this with no job is re-enqueued by the sweep. */
  STALE_QUEUED_AFTER_MS: int(120_000, 0, 24 * 3600_000),
  STALE_QUEUED_SWEEP_MS: int(60_000, 1_000, 3600_000),
  /**
   * How long a job waits out a storage outage (its input read, its output upload) before the
   * attempt fails. A rendered video is kept on disk meanwhile: a short outage costs a delay, not
   * the GPU time of rendering it again, nor one of its VIDEO_MAX_ATTEMPTS. The job's lock is
   * renewed all the while, so no other worker takes it over and the stale sweep leaves it alone.
   */
  VIDEO_STORAGE_RETRY_MS: int(90_000, 0, 3_600_000),
  /** A render's assumed length for a queued video's `estimated_start_at` while no video has finished to measure by. */
  QUEUE_ETA_FALLBACK_SECONDS: int(60, 1, 3_600),
  /**
   * The longest video frame interpolation (`fps`) is offered for: the dearest post-production
   * step, ~4.6 CPU-seconds per second of video at 30 fps on the worker's CPU (bench/post-production).
   */
  VIDEO_INTERPOLATE_MAX_SECONDS: int(15, 1, MAX_DURATION_SECONDS),
  OUTPUT_MAX_BYTES: int(200 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024),
  /** How often the process's one event feed looks for new events for all open SSE streams (one query per tick). */
  EVENTS_STREAM_POLL_MS: int(500, 10, 10_000),
  /** An SSE stream ends after this long with a `retry:` hint; the client resumes with Last-Event-ID. */
  EVENTS_STREAM_MAX_MS: int(10 * 60_000, 1_000, HOUR),
  /** The reconnection delay sent in that hint. */
  EVENTS_STREAM_RETRY_MS: int(1_000, 0, 60_000),
  /** Open SSE streams per tenant across all replicas (429 too_many_streams beyond). */
  EVENTS_STREAM_MAX_PER_TENANT: int(20, 1, 10_000),
  /** Open SSE streams per API process (503 stream_capacity_reached beyond). */
  EVENTS_STREAM_MAX_PER_PROCESS: int(1_000, 1, 100_000),
});
