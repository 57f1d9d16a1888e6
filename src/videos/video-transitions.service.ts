import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Video, type VideoOutputRef, type VideoProvenance, type VideoStatus } from './video.entity.js';
import { EventOutbox, type OutboxStatement } from '../platform/outbox/event-outbox.js';
import { videoEvent } from './video-events.js';
import { QuotaService } from '../limits/index.js';
import { lineageOf } from '../keys/index.js';
import { isSuspended } from '../tenants/index.js';
import { UsageCostService } from '../usage/index.js';
import { RateCards } from '../contracts/index.js';
import { billedResolution } from '../core/video-format.js';
import { billedVideo } from './billed-seconds.js';
import { observeEndToEnd, observeQueueWait, videosFinished } from './videos.metrics.js';
import { WaitingQueue } from './waiting-queue.service.js';
import { queueFull } from './queue-full.js';
import type { Limits } from '../core/limits/effective-limits.js';
import { cancelQueuedBatchItems, copyFailedBatchItems, insertBatchItems, type BatchItemOwner, type NewBatchItem } from './batch-item-rows.js';
import { planVideoDelivery } from '../destinations/index.js';
import { itemName } from './download-name.js';
import { videoInsert, withInserted } from './video-rows.js';

/**
 * Every change of a video's status goes through here, each as one conditional UPDATE inside a
 * transaction: a transition applies only from the states it names, so running any of them twice
 * (BullMQ is at-least-once) or racing a cancel changes nothing. Usage and the webhook outbox
 * commit in the same transaction; the Redis quota is settled or released right after commit (a
 * lost release is caught by the stale sweep, which compares the held reservations with the rows).
 */
@Injectable()
export class VideoTransitions {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly quota: QuotaService,
    private readonly outbox: EventOutbox,
    private readonly costs: UsageCostService,
    private readonly rates: RateCards,
    private readonly waiting: WaitingQueue,
  ) {}

  /**
   * The videos of one request (one, or the variants of `n`): all inserted in one transaction (one
   * statement for a single video that does not wait), or none, each with its `video.queued`
   * event. Those over the tenant's concurrency (`startBy` set) wait for a slot and hold no
   * reservation yet; their event says their place, when they should start and their deadline. The queue cap is checked under a lock per tenant and mode, so
   * concurrent submits cannot pass it together. The caller then pins the reservations of those
   * that do not wait (QuotaService.hold), alongside their jobs. `alsoWrite`: statements of the
   * caller's that commit with the videos (the request's stored response), sent with the first
   * video's row and event when one does not wait.
   */
  async created(videos: Video[], limits: Pick<Limits, 'concurrent_videos' | 'max_queued_videos'>, alsoWrite: OutboxStatement[] = []): Promise<void> {
    const waiting = videos.filter((v) => v.startBy);
    if (videos.length === 1 && !waiting.length) {
      // One video that does not wait: its row, its event (with what the event causes) and the
      // caller's statements are one statement, which commits as a whole without a transaction
      // around it (issue 36: START TRANSACTION and COMMIT were two of a submit's round trips).
      const video = videos[0]!;
      withInserted(video, (await this.outbox.recordWith(this.db.manager, [videoInsert(video), ...alsoWrite], videoEvent(video, 'video.queued'))).changed);
      return;
    }
    const unsent = [...alsoWrite];
    await this.db.transaction(async (tx) => {
      if (waiting.length > 0) {
        const { tenantId, livemode } = waiting[0]!;
        await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`queue:${tenantId}:${livemode}`]);
        const already = await this.waiting.waitingSingles(tenantId, livemode, tx);
        if (already + waiting.length > limits.max_queued_videos) throw queueFull(limits, already);
      }
      for (const video of videos) {
        const event = videoEvent(video, 'video.queued');
        if (!video.startBy) {
          // The row and its event in one statement.
          withInserted(video, (await this.outbox.recordWith(tx, [videoInsert(video), ...unsent.splice(0)], event)).changed);
          continue;
        }
        // Its place counts its own row, so the row goes first.
        const { sql, values } = videoInsert(video);
        withInserted(video, ((await tx.query(sql, values)) as Record<string, unknown>[])[0]!);
        const position = (await this.waiting.place(video, tx))?.position ?? 1;
        const eta = await this.waiting.estimatedStart(position, limits.concurrent_videos, tx);
        await this.outbox.record(tx, {
          ...event,
          data: { ...event.data, queue_position: position, estimated_start_at: eta.toISOString(), start_by: video.startBy.toISOString() },
        });
      }
      // Nothing above took them (every video waits): on their own, still in this transaction.
      for (const { sql, values } of unsent) await tx.query(sql, values);
    });
  }

  /**
   * queued → expired for up to `limit` videos still waiting for a slot when their `start_by` passed
   * (single videos, and batch items past their batch's complete_by), each with its `video.expired`
   * event, in one transaction. They were never handed over, so they hold no reservation and are
   * never charged. Rows a scheduler is handing over are skipped (locked): those started in time.
   */
  async expiredWaiting(limit: number): Promise<number> {
    const expired = await this.db.transaction(async (tx) => {
      const [rows] = (await tx.query(
        `update videos set status = 'expired', error_code = 'queue_deadline_passed', error_message = $2, completed_at = now(), updated_at = now()
          where id in (select id from videos where status = 'queued' and dispatched_at is null and start_by <= now() order by start_by limit $1 for update skip locked)
          returning id`,
        [limit, 'No concurrency slot freed before start_by (the batch: complete_by); it never started and nothing was charged.'],
      )) as [{ id: string }[], number];
      if (!rows.length) return 0;
      // A batch's items are told by the batch's own `batch.expired`, as they are queued without an event each.
      for (const row of await tx.find(Video, { where: { id: In(rows.map((r) => r.id)) } }))
        if (!row.batchId) await this.outbox.record(tx, videoEvent(row, 'video.expired'));
      return rows.length;
    });
    if (expired) videosFinished.inc({ outcome: 'expired', error_code: 'queue_deadline_passed' }, expired);
    return expired;
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
    if (video?.attempts === 1 && video.startedAt) observeQueueWait(video, video.startedAt);
    // Normally held since creation; again here in case the API's hold did not reach Redis.
    if (video) await this.quota.hold(video);
    return video;
  }

  /** queued → failed when the tenant is suspended: its queued videos must not run. */
  async refusedForSuspension(videoId: string): Promise<boolean> {
    const video = await this.db.transaction(async (tx) => {
      const queued = await tx.findOne(Video, { where: { id: videoId, status: 'queued' }, select: { id: true, tenantId: true } });
      if (!queued || !(await isSuspended(tx, queued.tenantId))) return null;
      if (
        !(await this.move(tx, videoId, ['queued'], {
          status: 'failed',
          errorCode: 'tenant_suspended',
          errorMessage: 'The account was suspended before this video ran.',
          completedAt: new Date(),
        }))
      )
        return null;
      const row = await tx.findOneByOrFail(Video, { id: videoId });
      await this.outbox.record(tx, videoEvent(row, 'video.failed'));
      return row;
    });
    if (video) {
      videosFinished.inc({ outcome: 'failed', error_code: 'tenant_suspended' });
      observeEndToEnd(video, 'failed');
      await this.quota.release(video);
    }
    return Boolean(video);
  }

  /** running → succeeded, with its usage record; false when the video was canceled meanwhile. */
  async succeeded(video: Video, output: VideoOutputRef, provenance: VideoProvenance): Promise<boolean> {
    const done = await this.db.transaction(async (tx) => {
      if (
        !(await this.move(tx, video.id, ['running'], { status: 'succeeded', output, provenance, completedAt: new Date(), errorCode: null, errorMessage: null }))
      )
        return null;
      // Priced here, in the same transaction as the record, so the cost is fixed with it.
      // The rate card in force now (its contract, else its plan's price) is the one the cost is fixed at.
      const card = await this.rates.forTenant(video.tenantId, new Date(), tx);
      const cost = await this.costs.settle(tx, billedVideo(video), card);
      const row = await tx.findOneByOrFail(Video, { id: video.id });
      await this.outbox.record(tx, videoEvent(row, 'video.succeeded'));
      // The copy to the customer's bucket commits with the success it follows: the delivery's outbox row.
      if (row.deliveryTarget) await planVideoDelivery(tx, { ...row, customId: itemName(row), target: row.deliveryTarget, output });
      // Budgets count per key lineage (a rolled key keeps its predecessor's budget).
      return { lineageId: await lineageOf(tx, video.apiKeyId), amount: cost.amount };
    });
    if (done) {
      videosFinished.inc({ outcome: 'succeeded', error_code: '' });
      observeEndToEnd(video, 'succeeded');
      await this.quota.settle(billedVideo(video), done.lineageId, done.amount);
    }
    return Boolean(done);
  }

  /**
   * queued|running → failed: nothing is charged and the reservation comes back; except that a
   * chained video whose chain broke is charged for the segments it delivered (they stay
   * available), at the rate a video of their length would cost, and its message says so.
   */
  async failed(videoId: string, code: string, message: string): Promise<boolean> {
    const done = await this.db.transaction(async (tx) => {
      const before = await tx.findOne(Video, { where: { id: videoId }, select: { id: true, segments: true } });
      const segments = before?.segments?.map((s) => (s.status === 'running' ? { ...s, status: 'failed' as const } : s)) ?? null;
      const delivered = segments?.filter((s) => s.status === 'succeeded') ?? [];
      const seconds = delivered.reduce((n, s) => n + s.duration_seconds, 0);
      const broken = segments?.findIndex((s) => s.status === 'failed') ?? -1;
      const said = seconds
        ? `${message} Segment ${broken + 1} of ${segments!.length} failed; the ${delivered.length} segment${delivered.length > 1 ? 's' : ''} delivered before it (${seconds} s) ${delivered.length > 1 ? 'are' : 'is'} charged and available in \`segments\`.`
        : message;
      if (
        !(await this.move(tx, videoId, ['queued', 'running'], {
          status: 'failed',
          errorCode: code,
          errorMessage: said.slice(0, 500),
          completedAt: new Date(),
          ...(segments ? { segments } : {}),
        }))
      )
        return null;
      const row = await tx.findOneByOrFail(Video, { id: videoId });
      let charged: { lineageId: string | null; amount: number; seconds: number } | null = null;
      if (seconds > 0) {
        const card = await this.rates.forTenant(row.tenantId, new Date(), tx);
        const cost = await this.costs.settle(tx, { ...row, durationSeconds: seconds, resolution: billedResolution(row.resolution) }, card);
        charged = { lineageId: await lineageOf(tx, row.apiKeyId), amount: cost.amount, seconds };
      }
      await this.outbox.record(tx, videoEvent(row, 'video.failed'));
      return { row, charged };
    });
    if (done) {
      videosFinished.inc({ outcome: 'failed', error_code: code });
      observeEndToEnd(done.row, 'failed');
      if (done.charged) await this.quota.settle({ ...done.row, durationSeconds: done.charged.seconds }, done.charged.lineageId, done.charged.amount);
      else await this.quota.release(done.row);
    }
    return Boolean(done);
  }

  /** A segment of a running chained video is being rendered (its progress on the video). */
  async segmentStarted(videoId: string, index: number): Promise<void> {
    await this.db.query(
      `update videos set segments = jsonb_set(segments, $2::text[], segments->$3::int || '{"status":"running"}'::jsonb), updated_at = now()
        where id = $1 and status = 'running'`,
      [videoId, `{${index}}`, index],
    );
  }

  /**
   * A segment delivered: stored, recorded on the running video with its `video.segment_succeeded`
   * event in one transaction. False when the video is no longer running (its file is nobody's).
   */
  async segmentSucceeded(video: Video, index: number, storageKey: string, provenance: VideoProvenance): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const patch = { status: 'succeeded', storage_key: storageKey, provenance, completed_at: new Date().toISOString() };
      const [, affected] = (await tx.query(
        `update videos set segments = jsonb_set(segments, $2::text[], segments->$3::int || $4::jsonb), updated_at = now()
          where id = $1 and status = 'running'`,
        [video.id, `{${index}}`, index, JSON.stringify(patch)],
      )) as [unknown, number];
      if (!affected) return false;
      const row = await tx.findOneByOrFail(Video, { id: video.id });
      const event = videoEvent(row, 'video.segment_succeeded');
      await this.outbox.record(tx, { ...event, data: { ...event.data, segment: { index, count: row.segments?.length ?? 0 } } });
      return true;
    });
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
      if (!res.affected) return null;
      const row = await tx.findOneByOrFail(Video, { id: videoId });
      await this.outbox.record(tx, videoEvent(row, 'video.canceled'));
      return row;
    });
    if (canceled) {
      videosFinished.inc({ outcome: 'canceled', error_code: '' });
      observeEndToEnd(canceled, 'canceled');
      await this.quota.release({ id: videoId, tenantId });
    }
    return canceled !== null;
  }

  /**
   * A batch's items as `queued` rows, in the batch's transaction. They are not enqueued: the batch
   * scheduler hands them over as the tenant's concurrency allows. No `video.queued` event per
   * item either: the batch is what was queued.
   */
  async batchItemsCreated(tx: EntityManager, owner: BatchItemOwner, items: NewBatchItem[], chunk: number): Promise<void> {
    await insertBatchItems(tx, owner, items, chunk);
  }

  /**
   * queued → canceled for every item of the batch, in the batch's transaction, without a
   * `video.canceled` event per item (the batch's own status says it). Returns the items already
   * handed to the queue: they hold a concurrency slot and reserved seconds, which the caller
   * releases with `releaseHandedOver` once its transaction has committed.
   */
  batchItemsCanceled(tx: EntityManager, batchId: string): Promise<string[]> {
    return cancelQueuedBatchItems(tx, batchId);
  }

  async releaseHandedOver(tenantId: string, videoIds: string[]): Promise<void> {
    // A queued job whose row is canceled is a no-op when a worker takes it.
    for (const id of videoIds) await this.quota.release({ id, tenantId });
  }

  /** failed → a new `queued` attempt of each failed item of the batch, in the batch's transaction; returns how many. */
  failedBatchItemsRetried(tx: EntityManager, batchId: string): Promise<number> {
    return copyFailedBatchItems(tx, batchId);
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
