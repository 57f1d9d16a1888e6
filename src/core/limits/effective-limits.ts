import { RESOLUTIONS, type Resolution } from '../video-format.js';

/** The limits that apply to a tenant: its plan's, with any contract overrides on top. */
export interface Limits {
  included_video_seconds: number;
  overage_allowed: boolean;
  requests_per_minute: number;
  concurrent_videos: number;
  max_duration_seconds: number;
  max_resolution: Resolution;
  max_batch_size: number;
  retention_days: number;
  queue_priority: number;
  uploads_per_day: number;
  uploads_per_month: number;
  max_queue_seconds: number;
  max_queued_videos: number;
  batch_complete_seconds: number;
}

export type LimitOverrides = Partial<Limits>;

/** The plan columns limits come from; the plans module's entity satisfies it. */
export interface Plan {
  includedVideoSeconds: number;
  overageAllowed: boolean;
  requestsPerMinute: number;
  concurrentVideos: number;
  maxDurationSeconds: number;
  maxResolution: string;
  maxBatchSize: number;
  retentionDays: number;
  queuePriority: number;
  uploadsPerDay: number;
  uploadsPerMonth: number;
  maxQueueSeconds: number;
  maxQueuedVideos: number;
  batchCompleteSeconds: number;
}

export const LIMIT_FIELDS = [
  'included_video_seconds',
  'overage_allowed',
  'requests_per_minute',
  'concurrent_videos',
  'max_duration_seconds',
  'max_resolution',
  'max_batch_size',
  'retention_days',
  'queue_priority',
  'uploads_per_day',
  'uploads_per_month',
  'max_queue_seconds',
  'max_queued_videos',
  'batch_complete_seconds',
] as const satisfies readonly (keyof Limits)[];

export function planLimits(p: Plan): Limits {
  return {
    included_video_seconds: p.includedVideoSeconds,
    overage_allowed: p.overageAllowed,
    requests_per_minute: p.requestsPerMinute,
    concurrent_videos: p.concurrentVideos,
    max_duration_seconds: p.maxDurationSeconds,
    max_resolution: p.maxResolution as Resolution,
    max_batch_size: p.maxBatchSize,
    retention_days: p.retentionDays,
    queue_priority: p.queuePriority,
    uploads_per_day: p.uploadsPerDay,
    uploads_per_month: p.uploadsPerMonth,
    max_queue_seconds: p.maxQueueSeconds,
    max_queued_videos: p.maxQueuedVideos,
    batch_complete_seconds: p.batchCompleteSeconds,
  };
}

export function effectiveLimits(plan: Plan, overrides: LimitOverrides | null | undefined): Limits {
  const limits = planLimits(plan);
  for (const field of LIMIT_FIELDS) {
    const value = overrides?.[field];
    if (value !== undefined && value !== null) (limits as unknown as Record<string, unknown>)[field] = value;
  }
  return limits;
}

export function resolutionAllowed(requested: Resolution, max: Resolution): boolean {
  return RESOLUTIONS.indexOf(requested) <= RESOLUTIONS.indexOf(max);
}
