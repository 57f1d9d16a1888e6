import { defineEnv, int } from '../platform/config/define-env.js';

export const limitsEnv = defineEnv('limits', {
  /** How long a submitted video holds its concurrency slot and reserved seconds before they are presumed lost. */
  VIDEO_LEASE_SECONDS: int(1800, 1, 86_400),
});
