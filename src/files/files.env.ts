import { bool, defineEnv, int } from '../platform/config/define-env.js';

/** Input images: what the API accepts and fetches (the worker reads IMAGE_MAX_BYTES back from storage). */
export const filesEnv = defineEnv(
  'files',
  {
    IMAGE_MAX_BYTES: int(10 * 1024 * 1024, 1024, 50 * 1024 * 1024),
    IMAGE_MAX_PIXELS: int(36_000_000, 10_000, 100_000_000),
    /** Longest side: the pixel cap alone lets a 1 × 36,000,000 strip through, which no model can use. */
    IMAGE_MAX_DIMENSION: int(12_000, 64, 65_535),
    /** Shortest side: the model scales and crops to its frame; a few pixels carry nothing to animate. */
    IMAGE_MIN_DIMENSION: int(32, 1, 4_096),
    IMAGE_FETCH_TIMEOUT_MS: int(10_000, 100, 60_000),
    /** How long a presigned upload URL (POST /v1/files/uploads) works; a file still pending after it is expired. */
    FILES_UPLOAD_URL_TTL_SECONDS: int(3_600, 60, 7 * 24 * 3_600),
    /** Presigned uploads handed out by one request. */
    FILES_UPLOADS_PER_REQUEST: int(1_000, 1, 10_000),
    /** A ZIP of images uploaded with purpose=image_archive (its rows name the members). Streamed to disk, never held in memory. */
    ARCHIVE_MAX_BYTES: int(1024 * 1024 * 1024, 1024, 16 * 1024 * 1024 * 1024),
    /** Members of an image archive: refused from the central directory's count before any member is read. */
    ARCHIVE_MAX_ENTRIES: int(50_000, 1, 1_000_000),
    /** All members of an image archive expanded (each member is also held to IMAGE_MAX_BYTES): zip bombs stop here. */
    ARCHIVE_MAX_EXPANDED_BYTES: int(4 * 1024 * 1024 * 1024, 1024, 64 * 1024 * 1024 * 1024),
    /** A batch input file (JSONL or CSV), uploaded with purpose=batch or straight to POST /v1/batches. */
    BATCH_INPUT_MAX_BYTES: int(64 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    /** A sound track (`audio_file` on a video, or an upload with purpose=audio): mp3, AAC, M4A or WAV. */
    AUDIO_MAX_BYTES: int(20 * 1024 * 1024, 1024, 200 * 1024 * 1024),
    /** A sound track's length: it is looped or cut to the video's, so anything longer is never heard. */
    AUDIO_MAX_SECONDS: int(600, 1, 3_600),
    AUDIO_FETCH_TIMEOUT_MS: int(15_000, 100, 120_000),
    /** Dev/test only: lets image and audio URLs point at loopback and private networks. Never in production. */
    ALLOW_PRIVATE_IMAGE_URLS: bool(false),
  },
  { devOnly: ['ALLOW_PRIVATE_IMAGE_URLS'] },
);
