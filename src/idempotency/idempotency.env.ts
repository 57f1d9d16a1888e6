import { defineEnv, int } from '../platform/config/define-env.js';

export const idempotencyEnv = defineEnv('idempotency', {
  /**
   * How long a claimed key stays locked without a heartbeat. A running request renews it every
   * third of this; a request whose process died frees its key this long after the last renewal
   * (instead of answering 409 for the whole 24 h window).
   */
  IDEMPOTENCY_LOCK_SECONDS: int(60, 2, 3600),
});
