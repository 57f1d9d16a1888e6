import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, QueueName } from '../platform/queue/queue-names.js';
import { JobRegistry } from '../platform/queue/job-registry.js';
import { queueEnv } from '../platform/queue/queue.env.js';
import { VideoTransitions } from './video-transitions.service.js';

/** The BullMQ consumer of the videos queue; which method runs a job is the registry's business. */
@Processor(QueueName.Videos)
export class VideosProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(VideosProcessor.name);

  constructor(private readonly registry: JobRegistry, private readonly transitions: VideoTransitions) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = queueEnv.get().WORKER_CONCURRENCY;
  }

  process(job: Job): Promise<unknown> {
    return this.registry.run(job);
  }

  /**
   * The job handler settles its own failures; this catches what it cannot: a job BullMQ gives up
   * on after workers died holding it (stalled too often) or an error outside the handler's try.
   * Without it the video would stay `running` forever.
   */
  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || job.name !== JobName.GenerateVideo || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const { videoId } = job.data as { videoId: string };
    if (await this.transitions.failed(videoId, 'processing_failed', 'The video could not be processed.')) {
      this.logger.error(`${videoId} failed after ${job.attemptsMade} attempts: ${error.message}`);
    }
  }
}
