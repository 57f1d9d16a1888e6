import { defineEnv, int } from '../platform/config/define-env.js';

export const keysEnv = defineEnv('keys', {
  /** Upper bound on how stale a cached key verification may be if an invalidation message is lost. */
  AUTH_CACHE_TTL_SECONDS: int(60, 0, 3600),
  /** How often buffered last_used_at timestamps are written; one UPDATE for all keys. */
  API_KEY_LAST_USED_FLUSH_MS: int(30_000, 50, 600_000),
});
