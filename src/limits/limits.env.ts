import { defineEnv, int } from '../platform/config/define-env.js';

export const limitsEnv = defineEnv('limits', {
  /** How long a reservation lasts before its video row is committed (an API that died between the two); held without deadline after. */
  VIDEO_LEASE_SECONDS: int(1800, 1, 86_400),
});
