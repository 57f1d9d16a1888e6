import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from '../platform/metrics/registry.js';

/** Videos reaching a terminal status, by outcome and (for failures) the public error code: a bounded catalogue. */
export const videosFinished = new Counter({
  name: 'leoma_videos_total',
  help: 'Videos that reached a terminal status, by outcome (succeeded, failed, canceled, expired) and error code.',
  labelNames: ['outcome', 'error_code'] as const,
  registers: [metricsRegistry],
});

/** Seconds buckets from a few seconds to a few hours: a video waits and renders for minutes, a batch item for hours. */
const VIDEO_SECONDS = [1, 5, 15, 30, 60, 120, 300, 600, 1_200, 1_800, 3_600, 7_200, 14_400];

/**
 * By resolution, plan tier (the plan's queue priority, which orders the queue: each plan has its
 * own), whether the video is a batch item, and model: the repository the customer pinned, else
 * `king` (whoever is king when it runs). All bounded: pins name ranked models only.
 */
const VIDEO_LABELS = ['resolution', 'plan_tier', 'batch', 'model'] as const;

/** From creation to the worker taking it up (queued → running, first attempt): what customers wait before any GPU works for them. */
export const videoQueueWait = new Histogram({
  name: 'leoma_video_queue_wait_seconds',
  help: 'Seconds from a video’s creation until a worker started it (queued → running), by resolution, plan tier, batch or not, and pinned model (else king).',
  labelNames: VIDEO_LABELS,
  buckets: VIDEO_SECONDS,
  registers: [metricsRegistry],
});

/** From creation to a terminal status: the end-to-end time a customer sees. */
export const videoEndToEnd = new Histogram({
  name: 'leoma_video_end_to_end_seconds',
  help: 'Seconds from a video’s creation until it reached a terminal status, by resolution, plan tier, batch or not, pinned model (else king) and outcome.',
  labelNames: [...VIDEO_LABELS, 'outcome'] as const,
  buckets: VIDEO_SECONDS,
  registers: [metricsRegistry],
});

type Timed = { resolution: string; queuePriority: number | null; batchId: string | null; modelPin: { repo: string } | null; createdAt: Date };

const labelsOf = (v: Timed) => ({
  resolution: v.resolution,
  plan_tier: v.queuePriority === null ? 'unknown' : String(v.queuePriority),
  batch: String(v.batchId !== null),
  model: v.modelPin?.repo ?? 'king',
});

export function observeQueueWait(v: Timed, startedAt: Date): void {
  videoQueueWait.observe(labelsOf(v), Math.max(0, (startedAt.getTime() - v.createdAt.getTime()) / 1000));
}

export function observeEndToEnd(v: Timed, outcome: 'succeeded' | 'failed' | 'canceled', at = new Date()): void {
  videoEndToEnd.observe({ ...labelsOf(v), outcome }, Math.max(0, (at.getTime() - v.createdAt.getTime()) / 1000));
}
