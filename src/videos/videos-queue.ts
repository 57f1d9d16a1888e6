import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { JobName, QueueName } from '../platform/queue/queue-names.js';
import { videosEnv } from './videos.env.js';
import { traceCarrier } from '../platform/tracing/job-trace-context.js';

/** Enqueues generation jobs keyed by video id, so enqueueing the same video twice is harmless. */
@Injectable()
export class VideosQueue {
  constructor(@InjectQueue(QueueName.Videos) private readonly queue: Queue) {}

  /**
   * `priority` is the plan's queue priority (BullMQ: lower runs first). The job continues `trace`
   * (the one the video's row kept), else the caller's: the request that made the video.
   */
  async enqueue(videoId: string, priority: number | null, trace?: Record<string, string> | null): Promise<void> {
    // The trace of the request that made the video goes with the job, and from there to the GPU call.
    await this.queue.add(JobName.GenerateVideo, { videoId, trace: trace ?? traceCarrier() }, jobOptions(videoId, priority));
  }

  /**
   * Many videos in one round trip (waiting videos as the scheduler hands them over). Each job
   * continues `trace`, the trace context its row kept from the request that made it, not the
   * scheduler's.
   */
  async enqueueBulk(videos: { videoId: string; priority: number | null; trace: Record<string, string> | null }[]): Promise<void> {
    if (videos.length === 0) return;
    await this.queue.addBulk(
      videos.map(({ videoId, priority, trace }) => ({
        name: JobName.GenerateVideo,
        data: { videoId, trace: trace ?? traceCarrier() },
        opts: jobOptions(videoId, priority),
      })),
    );
  }

  /** True when the video had no job (in any state) and now has one. */
  async enqueueIfMissing(videoId: string, priority: number | null, trace?: Record<string, string> | null): Promise<boolean> {
    if (await this.queue.getJob(videoId)) return false;
    await this.enqueue(videoId, priority, trace);
    return true;
  }

  /**
   * True when the video's job had failed — given up while the video was still queued, which
   * happens when the failure could not be written (the database was down) — and was replaced by
   * a fresh one. A failure that was written ended the video, so the sweep never asks about it.
   */
  async replaceFailed(videoId: string, priority: number | null, trace?: Record<string, string> | null): Promise<boolean> {
    const job = await this.queue.getJob(videoId);
    if (!job || (await job.getState()) !== 'failed') return false;
    await job.remove();
    await this.enqueue(videoId, priority, trace);
    return true;
  }

  /** The video's job state, `missing` when it has none. */
  async jobState(videoId: string): Promise<string> {
    const job = await this.queue.getJob(videoId);
    return job ? job.getState() : 'missing';
  }

  async remove(videoId: string): Promise<void> {
    await this.queue.remove(videoId).catch(() => 0);
  }
}

function jobOptions(videoId: string, priority: number | null) {
  const env = videosEnv.get();
  return {
    jobId: videoId,
    priority: priority ?? undefined,
    attempts: env.VIDEO_MAX_ATTEMPTS,
    backoff: { type: 'exponential' as const, delay: env.VIDEO_RETRY_DELAY_MS },
    removeOnComplete: { age: 24 * 3600 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}
