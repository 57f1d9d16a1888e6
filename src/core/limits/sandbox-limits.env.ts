import { defineEnv, int } from '../../platform/config/define-env.js';

/**
 * Test mode's own limits, the same for every tenant (like Stripe's test-mode rate limit): the
 * sandbox is for integrating, not for volume, and its counters are separate from live ones.
 */
export const sandboxLimitsEnv = defineEnv('sandbox-limits', {
  /** Requests per minute of a tenant's test keys together (its live keys have their own bucket). */
  SANDBOX_REQUESTS_PER_MINUTE: int(100, 1, 1_000_000),
  /** Test-mode videos queued or running at once per tenant. */
  SANDBOX_CONCURRENT_VIDEOS: int(2, 1, 10_000),
  /** Test-mode video-seconds per tenant per calendar month: a hard cap, never billed and never part of the paid quota. */
  SANDBOX_MONTHLY_VIDEO_SECONDS: int(600, 0, 100_000_000),
});
