import type { Limits } from './effective-limits.js';
import { sandboxLimitsEnv } from './sandbox-limits.env.js';

/**
 * The limits a key of this mode works under. Live keys get the tenant's (plan plus contract);
 * test keys get the sandbox's fixed rate, concurrency and monthly seconds (no overage: the cap is
 * hard), and the tenant's own shape limits (duration, resolution, batch size, retention), so what
 * works in test mode is what the plan allows in live mode.
 */
export function modeLimits(limits: Limits, livemode: boolean): Limits {
  if (livemode) return limits;
  const env = sandboxLimitsEnv.get();
  return {
    ...limits,
    requests_per_minute: env.SANDBOX_REQUESTS_PER_MINUTE,
    concurrent_videos: env.SANDBOX_CONCURRENT_VIDEOS,
    included_video_seconds: env.SANDBOX_MONTHLY_VIDEO_SECONDS,
    overage_allowed: false,
  };
}
