import { describe, expect, it } from 'vitest';
import { effectiveLimits, LIMIT_FIELDS, planLimits, resolutionAllowed, type Plan } from '../../src/core/limits/effective-limits.js';
import { modeLimits } from '../../src/core/limits/mode-limits.js';
import { sandboxLimitsEnv } from '../../src/core/limits/sandbox-limits.env.js';

const plan: Plan = {
  includedVideoSeconds: 1000,
  overageAllowed: true,
  requestsPerMinute: 60,
  concurrentVideos: 2,
  maxDurationSeconds: 10,
  maxResolution: '720p',
  maxBatchSize: 100,
  retentionDays: 30,
  queuePriority: 5,
  uploadsPerDay: 1000,
  uploadsPerMonth: 20000,
  maxQueueSeconds: 3600,
  maxQueuedVideos: 1000,
  batchCompleteSeconds: 604800,
};

describe('effective limits', () => {
  it("are the plan's when nothing is overridden", () => {
    expect(effectiveLimits(plan, null)).toEqual(planLimits(plan));
    expect(effectiveLimits(plan, {})).toEqual(planLimits(plan));
    expect(Object.keys(planLimits(plan)).sort()).toEqual([...LIMIT_FIELDS].sort());
  });

  it('take each override field on top of the plan, and only those', () => {
    const limits = effectiveLimits(plan, { included_video_seconds: 500_000, concurrent_videos: 20, overage_allowed: false });
    expect(limits).toEqual({ ...planLimits(plan), included_video_seconds: 500_000, concurrent_videos: 20, overage_allowed: false });
  });

  it('ignore a null override (the field falls back to the plan), but keep a zero', () => {
    const limits = effectiveLimits(plan, { requests_per_minute: null as unknown as number, max_batch_size: 0 });
    expect(limits.requests_per_minute).toBe(60);
    expect(limits.max_batch_size).toBe(0);
  });

  it('allow a resolution up to the maximum, not above', () => {
    expect(resolutionAllowed('480p', '720p')).toBe(true);
    expect(resolutionAllowed('720p', '720p')).toBe(true);
    expect(resolutionAllowed('720p', '480p')).toBe(false);
  });

  it("give test keys the sandbox's rate, concurrency and seconds with a hard cap, and the plan's shape", () => {
    const live = effectiveLimits(plan, { max_duration_seconds: 8 });
    expect(modeLimits(live, true)).toBe(live);
    const env = sandboxLimitsEnv.get();
    expect(modeLimits(live, false)).toEqual({
      ...live,
      requests_per_minute: env.SANDBOX_REQUESTS_PER_MINUTE,
      concurrent_videos: env.SANDBOX_CONCURRENT_VIDEOS,
      included_video_seconds: env.SANDBOX_MONTHLY_VIDEO_SECONDS,
      overage_allowed: false,
    });
  });
});
