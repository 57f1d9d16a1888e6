import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { InjectRepository } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { In, IsNull, LessThan, Not, type Repository } from 'typeorm';
import { JobHandler } from '../platform/queue/job-handler.decorator.js';
import { JobName, QueueName } from '../platform/queue/queue-names.js';
import { Video } from './video.entity.js';
import { VideosQueue } from './videos-queue.js';
import { videosEnv } from './videos.env.js';
import { VideoTransitions } from './video-transitions.service.js';
import { QuotaService } from '../limits/index.js';

/**
 * The API writes the row, then enqueues; a crash (or a Redis outage) between the two would leave a
 * video queued that no worker will ever see, and so would a job that failed while the database was
 * down (its failure could not be written). This sweep re-enqueues such rows. Enqueueing is keyed
 * by the video id, so a row whose job is waiting or active is left alone.
 */
@Injectable()
export class RequeueStaleVideosJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(RequeueStaleVideosJob.name);

  constructor(
    @InjectRepository(Video) private readonly videos: Repository<Video>,
    @InjectQueue(QueueName.Maintenance) private readonly maintenance: Queue,
    private readonly videosQueue: VideosQueue,
    private readonly transitions: VideoTransitions,
    private readonly quota: QuotaService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const every = videosEnv.get().STALE_QUEUED_SWEEP_MS;
    await this.maintenance.upsertJobScheduler('requeue-stale-videos', { every }, { name: JobName.RequeueStaleVideos, data: {} });
  }

  @JobHandler(JobName.RequeueStaleVideos)
  async handle(): Promise<number> {
    const olderThan = new Date(Date.now() - videosEnv.get().STALE_QUEUED_AFTER_MS);
    // A video still waiting for a slot (a batch item, a single video over the concurrency; never
    // dispatched) is the batch scheduler's, not ours: it is a row, which no restart loses. Once
    // the scheduler has dispatched it, a crash before its enqueue leaves it to this sweep.
    const stale = await this.videos.find({
      select: { id: true, queuePriority: true, trace: true },
      where: { status: 'queued', createdAt: LessThan(olderThan), dispatchedAt: Not(IsNull()) },
      order: { id: 'ASC' },
      take: 500,
    });
    let requeued = 0;
    // Each job continues the trace of the request that made its video (kept on the row), as the submit's own enqueue did.
    for (const { id, queuePriority, trace } of stale) {
      if ((await this.videosQueue.enqueueIfMissing(id, queuePriority, trace)) || (await this.videosQueue.replaceFailed(id, queuePriority, trace))) requeued++;
    }
    if (requeued) this.logger.warn(`re-enqueued ${requeued} queued video(s) whose job was missing or had failed`);
    await this.failOrphans();
    await this.reconcileLeases();
    return requeued;
  }

  /**
   * Quota holds against the rows: a hold whose video has ended (its release never reached Redis)
   * is released, and one whose video is still queued or running is held again (in case its hold
   * never reached Redis). A reservation whose row was never written, or whose row still waits for
   * a slot (a scheduler's hand-over that rolled back), is left to its short lease.
   */
  private async reconcileLeases(): Promise<void> {
    const leased = await this.quota.leased();
    for (let i = 0; i < leased.length; i += 500) {
      const ids = leased.slice(i, i + 500).map((l) => l.id);
      const rows = await this.videos.find({ select: { id: true, tenantId: true, livemode: true, status: true, dispatchedAt: true }, where: { id: In(ids) } });
      for (const row of rows) {
        if (row.status === 'running' || (row.status === 'queued' && row.dispatchedAt)) await this.quota.hold(row);
        else if (row.status !== 'queued') await this.quota.release(row);
      }
    }
  }

  /**
   * A video `running` whose job is gone or failed will never finish on its own (a failed event
   * missed, a job removed): end it `failed` so its quota comes back and the tenant hears of it.
   */
  private async failOrphans(): Promise<number> {
    const olderThan = new Date(Date.now() - videosEnv.get().STALE_QUEUED_AFTER_MS);
    const running = await this.videos.find({
      select: { id: true },
      where: { status: 'running', updatedAt: LessThan(olderThan) },
      order: { id: 'ASC' },
      take: 500,
    });
    let failed = 0;
    for (const { id } of running) {
      const state = await this.videosQueue.jobState(id);
      if (state !== 'missing' && state !== 'failed') continue;
      if (await this.transitions.failed(id, 'processing_failed', 'The video could not be processed.')) failed++;
    }
    if (failed) this.logger.error(`failed ${failed} running video(s) whose job was gone or failed`);
    return failed;
  }
}
