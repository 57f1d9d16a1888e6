import { DomainError } from '../platform/http/domain-error.js';
import type { Limits } from '../core/limits/effective-limits.js';

/** 429 queue_full: every slot taken and the plan's max_queued_videos already waiting. */
export function queueFull(limits: Pick<Limits, 'concurrent_videos' | 'max_queued_videos'>, waiting: number): DomainError {
  const cap = limits.max_queued_videos;
  return new DomainError(
    'queue_full',
    `All ${limits.concurrent_videos} of your concurrent videos are in progress and your queue is full: ${waiting} videos waiting for a slot, your plan's cap is ${cap}. Nothing was charged; submit more when some have started.`,
    { limit: cap, waiting },
    { 'Retry-After': '5' },
  );
}
