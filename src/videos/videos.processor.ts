import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, QueueName } from '../platform/queue/queue-names.js';
import { JobRegistry } from '../platform/queue/job-registry.js';
import { queueEnv } from '../platform/queue/queue.env.js';
import { VideoTransitions } from './video-transitions.service.js';

/**
 * The BullMQ consumer of the videos queue; which method runs a job is the registry's business.
 * Lock and stall timings come from the env; getters, because the decorator is evaluated at import
 * and the options are read only when Nest creates the worker, after the env is validated.
 */
@Processor(QueueName.Videos, {
  get lockDuration() {
    return queueEnv.get().WORKER_LOCK_MS;
  },
  get stalledInterval() {
    return queueEnv.get().WORKER_STALLED_INTERVAL_MS;
  },
})
export class VideosProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(VideosProcessor.name);

  constructor(
    private readonly registry: JobRegistry,
    private readonly transitions: VideoTransitions,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = queueEnv.get().WORKER_CONCURRENCY;
  }

  process(job: Job, token?: string): Promise<unknown> {
    return this.registry.run(job, token);
  }

  /**
   * The job handler settles its own failures; this catches what it cannot: a job BullMQ gives up
   * on after workers died holding it (stalled too often) or an error outside the handler's try.
   * Without it the video would stay `running` forever. A job failed for stalling never ran the
   * handler and did not raise `attemptsMade`, so only the job's state says whether this was the
   * last attempt (`failed`) or a retry is coming (`delayed`/`waiting`).
   */
  /**
   * An event listener: BullMQ does not await it, so whatever it throws would be an unhandled
   * rejection (which ends a Node process). When the failure cannot be written (the database is
   * down) it is logged, and the stale sweep ends or re-runs the video later.
   */
  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    try {
      if (!job || job.name !== JobName.GenerateVideo || (await job.getState()) !== 'failed') return;
      const { videoId } = job.data as { videoId: string };
      if (await this.transitions.failed(videoId, 'processing_failed', 'The video could not be processed.')) {
        this.logger.error(`${videoId} failed after ${job.attemptsMade} attempts: ${error.message}`);
      }
    } catch (e) {
      this.logger.error(`could not record the failure of job ${job?.id}: ${(e as Error).message}; the stale sweep will`);
    }
  }
}
