import { bool, defineEnv, int } from '../platform/config/define-env.js';

/** Input images: what the API accepts and fetches (the worker reads IMAGE_MAX_BYTES back from storage). */
export const filesEnv = defineEnv('files', {
  IMAGE_MAX_BYTES: int(10 * 1024 * 1024, 1024, 50 * 1024 * 1024),
  IMAGE_MAX_PIXELS: int(36_000_000, 10_000, 100_000_000),
  IMAGE_FETCH_TIMEOUT_MS: int(10_000, 100, 60_000),
  /** Dev/test only: lets image URLs point at loopback and private networks. Never in production. */
  ALLOW_PRIVATE_IMAGE_URLS: bool(false),
}, { devOnly: ['ALLOW_PRIVATE_IMAGE_URLS'] });
