import { defineEnv, int } from '../config/define-env.js';

/** Limits of our ffprobe checks (backend output, our own encodes, customers' sound tracks). */
export const mediaEnv = defineEnv('media', {
  /**
   * CPU time one ffprobe may use: past it the file is pathological and refused (a backend's output
   * `output_invalid`, a sound track `audio_invalid`). A valid output takes well under a second.
   */
  MEDIA_PROBE_CPU_MS: int(10_000, 100, 600_000),
  /**
   * Wall-clock time one ffprobe may take. Reached below MEDIA_PROBE_CPU_MS, the probe was starved
   * (a machine under load), not defeated by the file: nothing is blamed on the file or the backend,
   * and the check is retried (the video's job) or refused as retryable (503 for a sound track).
   */
  MEDIA_PROBE_TIMEOUT_MS: int(30_000, 100, 600_000),
});
