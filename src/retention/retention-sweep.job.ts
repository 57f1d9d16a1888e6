import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { JobHandler } from '../platform/queue/job-handler.decorator.js';
import { acquireLease } from '../platform/database/lease.js';
import { JobName, QueueName } from '../platform/queue/queue-names.js';
import { VideoContent } from '../videos/index.js';
import { FilesService } from '../files/index.js';
import { PURGE_CLOCK, type Clock } from './retention-purge.service.js';
import { retentionEnv } from './retention.env.js';

export interface SweepResult {
  /** False when another worker held the lease and this run did nothing. */
  ran: boolean;
  videos: number;
  files: number;
}

/**
 * Enforces each tenant's `retention_days` (contract override, else plan): finished videos and
 * uploaded files older than that lose their stored objects; the rows stay. It is the source of
 * truth (bucket lifecycle rules are only a backstop). One worker at a time, through a lease row
 * (platform/database/lease.ts, which holds behind PgBouncer too), since a BullMQ scheduler may
 * start a run while a slow one is still going.
 * Batched and capped per run; every row is finished (objects, then row) before the next, so a
 * crash or the cap simply leaves the rest for the next run.
 */
@Injectable()
export class RetentionSweepJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(RetentionSweepJob.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Maintenance) private readonly maintenance: Queue,
    private readonly videos: VideoContent,
    private readonly files: FilesService,
    @Inject(PURGE_CLOCK) private readonly now: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.maintenance.upsertJobScheduler('retention-sweep', { every: retentionEnv.get().RETENTION_SWEEP_MS }, { name: JobName.RetentionSweep, data: {} });
  }

  @JobHandler(JobName.RetentionSweep)
  async handle(): Promise<SweepResult> {
    return this.run(this.now());
  }

  /** One sweep as of `now`. */
  async run(now: Date): Promise<SweepResult> {
    const { RETENTION_BATCH_SIZE: batch, RETENTION_MAX_PER_RUN: max } = retentionEnv.get();
    const lease = await acquireLease(this.db, 'retention:sweep');
    if (!lease) return { ran: false, videos: 0, files: 0 };
    try {
      // A sweep whose lease ran out stops between batches: the new holder carries on from the rows left.
      const videos = await drain((n) => this.videos.expireDue(now, n), batch, max, lease.signal);
      const files = await drain((n) => this.files.expireDue(now, n), batch, max, lease.signal);
      if (videos || files) this.logger.log(`retention: ${videos} video(s) and ${files} file(s) expired`);
      return { ran: true, videos, files };
    } finally {
      await lease.release();
    }
  }
}

/** Calls `step` with batches until it returns fewer than asked (nothing more is due), `max` is reached or the lease is lost. */
async function drain(step: (limit: number) => Promise<number>, batch: number, max: number, lost: AbortSignal): Promise<number> {
  let total = 0;
  while (total < max && !lost.aborted) {
    const want = Math.min(batch, max - total);
    const done = await step(want);
    total += done;
    if (done < want) break;
  }
  return total;
}
