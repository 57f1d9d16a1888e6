import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Video, type VideoOutputRef, type VideoProvenance, type VideoStatus } from './video.entity.js';
import { EventOutbox } from '../platform/outbox/event-outbox.js';
import { videoEvent } from './video-events.js';
import { QuotaService } from '../limits/index.js';
import { UsageCostService, UsageRecord } from '../usage/index.js';
import { RateCards } from '../contracts/index.js';
import type { Resolution } from '../core/video-format.js';
import { videosFinished } from './videos.metrics.js';

/**
 * Every change of a video's status goes through here, each as one conditional UPDATE inside a
 * transaction: a transition applies only from the states it names, so running any of them twice
 * (BullMQ is at-least-once) or racing a cancel changes nothing. Usage and the webhook outbox
 * commit in the same transaction; the Redis quota is settled or released right after commit (a
 * lost release is caught by the stale sweep, which compares the held reservations with the rows).
 */
@Injectable()
export class VideoTransitions {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly quota: QuotaService, private readonly outbox: EventOutbox, private readonly costs: UsageCostService, private readonly rates: RateCards) {}

  async created(video: Video): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(Video, video);
      await this.outbox.record(tx, videoEvent(video, 'video.queued'));
    });
    await this.quota.hold(video);
  }

  /** queued|running → running; returns the row, or null when the video is already finished. */
  async started(videoId: string): Promise<Video | null> {
    const video = await this.db.transaction(async (tx) => {
      const res = await tx
        .createQueryBuilder()
        .update(Video)
        .set({ status: 'running', startedAt: () => 'coalesce(started_at, now())', attempts: () => 'attempts + 1' })
        .where({ id: videoId, status: In(['queued', 'running']) })
        .execute();
      if (!res.affected) return null;
      const row = await tx.findOneByOrFail(Video, { id: videoId });
      // A retry moves running → running; only the first start is news.
      if (row.attempts === 1) await this.outbox.record(tx, videoEvent(row, 'video.running'));
      return row;
    });
    // Normally held since creation; again here in case the API's hold did not reach Redis.
    if (video) await this.quota.hold(video);
    return video;
  }

  /** queued → failed when the tenant is suspended: its queued videos must not run. */
  async refusedForSuspension(videoId: string): Promise<boolean> {
    const video = await this.db.transaction(async (tx) => {
      const [rows] = (await tx.query(
        `update videos set status = 'failed', error_code = 'tenant_suspended', error_message = 'The account was suspended before this video ran.',
                completed_at = now(), updated_at = now()
          where id = $1 and status = 'queued' and exists (select 1 from tenants t where t.id = videos.tenant_id and t.status = 'suspended')
          returning id`,
        [videoId],
      )) as [{ id: string }[], number];
      if (!rows[0]) return null;
      const row = await tx.findOneByOrFail(Video, { id: videoId });
      await this.outbox.record(tx, videoEvent(row, 'video.failed'));
      return row;
    });
    if (video) {
      videosFinished.inc({ outcome: 'failed', error_code: 'tenant_suspended' });
      await this.quota.release(video);
    }
    return Boolean(video);
  }

  /** running → succeeded, with its usage record; false when the video was canceled meanwhile. */
  async succeeded(video: Video, output: VideoOutputRef, provenance: VideoProvenance): Promise<boolean> {
    const done = await this.db.transaction(async (tx) => {
      if (!(await this.move(tx, video.id, ['running'], { status: 'succeeded', output, provenance, completedAt: new Date(), errorCode: null, errorMessage: null }))) return null;
      // Priced here, in the same transaction as the record, so the cost is fixed with it.
      // The rate card in force now (its contract, else its plan's price) is the one the cost is fixed at.
      const card = await this.rates.forTenant(video.tenantId, new Date(), tx);
      const cost = await this.costs.price(tx, { tenantId: video.tenantId, videoId: video.id, seconds: video.durationSeconds, resolution: video.resolution as Resolution, livemode: video.livemode }, card);
      await tx.insert(UsageRecord, {
        videoId: video.id, tenantId: video.tenantId, videoSeconds: video.durationSeconds, livemode: video.livemode, apiKeyId: video.apiKeyId, resolution: video.resolution,
        amountMinor: cost.amount, currency: cost.currency, includedSecondsUsed: cost.included_seconds_used, overageSeconds: cost.overage_seconds, unitAmountMinor: cost.unit_amount, creditsAppliedMinor: cost.credits_applied,
      });
      await this.costs.afterRecorded(tx, video.tenantId, video.livemode);
      await this.outbox.record(tx, videoEvent(await tx.findOneByOrFail(Video, { id: video.id }), 'video.succeeded'));
      // Budgets count per key lineage (a rolled key keeps its predecessor's budget).
      const [key] = (await tx.query('select lineage_id from api_keys where id = $1', [video.apiKeyId])) as { lineage_id: string }[];
      return { lineageId: key?.lineage_id ?? null, amount: cost.amount };
    });
    if (done) {
      videosFinished.inc({ outcome: 'succeeded', error_code: '' });
      await this.quota.settle(video, done.lineageId, done.amount);
    }
    return Boolean(done);
  }

  /** queued|running → failed: nothing is charged, the reservation comes back. */
  async failed(videoId: string, code: string, message: string): Promise<boolean> {
    const video = await this.db.transaction(async (tx) => {
      if (!(await this.move(tx, videoId, ['queued', 'running'], { status: 'failed', errorCode: code, errorMessage: message.slice(0, 500), completedAt: new Date() }))) return null;
      const row = await tx.findOneByOrFail(Video, { id: videoId });
      await this.outbox.record(tx, videoEvent(row, 'video.failed'));
      return row;
    });
    if (video) {
      videosFinished.inc({ outcome: 'failed', error_code: code });
      await this.quota.release(video);
    }
    return Boolean(video);
  }

  /**
   * queued → failed for up to `limit` batch items not yet handed to the queue (they hold no
   * reservation, so none is released), each with its `video.failed` event; returns how many.
   */
  async failedWaiting(batchId: string, code: string, message: string, limit: number): Promise<number> {
    const failed = await this.db.transaction(async (tx) => {
      const [rows] = (await tx.query(
        `update videos set status = 'failed', error_code = $2, error_message = $3, completed_at = now(), updated_at = now()
          where id in (select id from videos where batch_id = $1 and status = 'queued' and dispatched_at is null order by batch_index limit $4 for update skip locked)
          returning id`,
        [batchId, code, message.slice(0, 500), limit],
      )) as [{ id: string }[], number];
      if (!rows.length) return 0;
      for (const row of await tx.find(Video, { where: { id: In(rows.map((r) => r.id)) } })) await this.outbox.record(tx, videoEvent(row, 'video.failed'));
      return rows.length;
    });
    if (failed) videosFinished.inc({ outcome: 'failed', error_code: code }, failed);
    return failed;
  }

  /** queued|running → canceled, scoped to the tenant; false when it was already finished or is not theirs. */
  async canceled(tenantId: string, videoId: string): Promise<boolean> {
    const canceled = await this.db.transaction(async (tx) => {
      const res = await tx.update(Video, { id: videoId, tenantId, status: In(['queued', 'running']) }, { status: 'canceled', completedAt: new Date() });
      if (!res.affected) return false;
      await this.outbox.record(tx, videoEvent(await tx.findOneByOrFail(Video, { id: videoId }), 'video.canceled'));
      return true;
    });
    if (canceled) {
      videosFinished.inc({ outcome: 'canceled', error_code: '' });
      await this.quota.release({ id: videoId, tenantId });
    }
    return canceled;
  }

  /** A read, for a worker to notice a cancel while it waits on a backend. */
  async statusOf(videoId: string): Promise<VideoStatus | null> {
    const row = await this.db.getRepository(Video).findOne({ where: { id: videoId }, select: { id: true, status: true } });
    return row?.status ?? null;
  }

  private async move(tx: EntityManager, id: string, from: Video['status'][], set: Partial<Video>): Promise<boolean> {
    const res = await tx.update(Video, { id, status: In(from) }, set);
    return Boolean(res.affected);
  }
}
