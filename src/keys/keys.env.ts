import { defineEnv, int } from '../platform/config/define-env.js';

export const keysEnv = defineEnv('keys', {
  /**
   * Upper bound on how stale a cached key verification, and the per-tenant data cached beside it
   * (billing standing, moderation settings, spend caps, rate card), may be if an invalidation message is lost.
   */
  AUTH_CACHE_TTL_SECONDS: int(60, 0, 3600),
  /**
   * How long a key that matched nothing is remembered as unknown, so a forged key repeated costs
   * no database query. Safe because a new key's secret is random: nobody presents it before it exists.
   */
  AUTH_NEGATIVE_CACHE_SECONDS: int(10, 0, 300),
  /** How often buffered last_used_at timestamps are written; one UPDATE for all keys. */
  API_KEY_LAST_USED_FLUSH_MS: int(30_000, 50, 600_000),
});
