import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Batch } from './batch.entity.js';
import { batchFinishedEvent } from './batch-events.js';
import { batchesEnv } from './batches.env.js';
import { isRefusal, keyHolder, type KeyHolder } from '../keys/index.js';
import { QuotaService } from '../limits/index.js';
import { SpendAlertsService, type SpendCaps } from '../usage/index.js';
import { RateCards } from '../contracts/index.js';
import { BatchItems, VideosQueue, VideoTransitions, videosEnv } from '../videos/index.js';
import { resolutionAllowed } from '../core/limits/effective-limits.js';
import type { Resolution } from '../core/video-format.js';
import { EventOutbox } from '../platform/outbox/event-outbox.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';
import { DomainError } from '../platform/http/domain-error.js';

/** Waiting items of a stopped key's batch failed per pass: a 50,000-item batch ends over a few passes, not in one long one. */
const FAIL_PER_TICK = 1_000;

/**
 * Fair scheduling of batch items (README, "Batches"). Items wait in their batch, not in the queue;
 * every BATCH_SCHEDULE_INTERVAL_MS each worker hands over, per tenant, only as many as the tenant
 * has free concurrency slots (reserved like POST /v1/videos does, so a batch never runs more
 * than the plan's concurrent videos, and leaves one for the tenant's interactive videos) and at
 * most BATCH_QUEUED_PER_TENANT waiting in the queue. Handed-over items go to the videos queue at
 * the plan's priority plus BATCH_PRIORITY_OFFSET, behind every interactive video. So a
 * 50,000-item batch has a handful of jobs in the queue at a time: another tenant's interactive
 * video waits only for a running job to end, and another tenant's batch items only behind that
 * handful, never behind the whole batch.
 * Workers may run this side by side: items are picked FOR UPDATE SKIP LOCKED and the slot
 * reservation is atomic, so nothing is handed over twice.
 */
@Injectable()
export class BatchScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop = new PollLoop({
    name: 'batch scheduler',
    run: () => this.tick(),
    next: () => batchesEnv.get().BATCH_SCHEDULE_INTERVAL_MS,
    afterError: () => batchesEnv.get().BATCH_SCHEDULE_INTERVAL_MS,
  });
  /** Where the next pass starts in the list of tenants, so no tenant is always served first. */
  private turn = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly quota: QuotaService,
    private readonly queue: VideosQueue,
    private readonly transitions: VideoTransitions,
    private readonly items: BatchItems,
    private readonly outbox: EventOutbox,
    private readonly alerts: SpendAlertsService,
    private readonly rates: RateCards,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start(batchesEnv.get().BATCH_SCHEDULE_INTERVAL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass: hand over what fits, then finish batches whose items have all ended. */
  async tick(): Promise<void> {
    await this.failAbandoned();
    const open = await this.db
      .getRepository(Batch)
      .createQueryBuilder('b')
      .select(['b.id', 'b.tenantId', 'b.apiKeyId', 'b.livemode'])
      .where(`b.status = 'in_progress' and b.queued > 0`)
      .orderBy('b.id')
      .getMany();
    // A tenant's live and test batches draw on separate slots (test mode has its own limits).
    const byTenant = new Map<string, Batch[]>();
    for (const b of open) {
      const owner = `${b.tenantId}|${b.livemode}`;
      byTenant.set(owner, [...(byTenant.get(owner) ?? []), b]);
    }
    const tenants = [...byTenant.keys()];
    this.turn = (this.turn + 1) % Math.max(1, tenants.length);
    for (let i = 0; i < tenants.length; i++) await this.feedTenant(byTenant.get(tenants[(this.turn + i) % tenants.length]!)!);
    await this.finishDone();
  }

  /**
   * The tenant's batches in creation order get its free slots, under the tenant's limits and hard
   * caps as they are now (not as they were when the batch was created); a batch whose key was
   * revoked or expired has its waiting items failed instead.
   */
  private async stillOnKey(batch: Batch): Promise<boolean> {
    const now = await this.db.getRepository(Batch).findOne({ where: { id: batch.id }, select: { id: true, apiKeyId: true } });
    return now?.apiKeyId === batch.apiKeyId;
  }

  private async feedTenant(batches: Batch[]): Promise<void> {
    const env = batchesEnv.get();
    const { tenantId, livemode } = batches[0]!;
    const owned: { batch: Batch; who: KeyHolder }[] = [];
    for (const batch of batches) {
      const who = await keyHolder(this.db.manager, batch);
      if (!isRefusal(who)) owned.push({ batch, who });
      // A roll revokes the old key and moves its batches to the new one in one transaction: a
      // refusal seen after the batch list was read may be that roll, so the batch's key is read again.
      else if (await this.stillOnKey(batch)) await this.transitions.failedWaiting(batch.id, who.code, who.message, FAIL_PER_TICK);
    }
    if (!owned.length) return;
    const limits = owned[0]!.who.limits;
    const cap = env.BATCH_LEAVE_INTERACTIVE_SLOT && limits.concurrent_videos > 1 ? limits.concurrent_videos - 1 : limits.concurrent_videos;
    const waiting = await this.items.inQueue(tenantId, livemode);
    let free = Math.min(cap - (await this.quota.read({ tenantId, livemode })).active, env.BATCH_QUEUED_PER_TENANT - waiting);
    if (free <= 0) return;
    // Hard caps bind live items as they bind POST /v1/videos (test mode has no spend).
    const caps = livemode ? await this.alerts.caps(tenantId) : { amount: -1, seconds: -1 };
    for (const { batch, who } of owned) {
      if (free <= 0) return;
      const { handed, full } = await this.handOver(batch, who, caps, free);
      free -= handed;
      if (full) return;
    }
  }

  /**
   * Up to `n` of the batch's waiting items, in row order; returns how many went and whether the
   * tenant is at its limit. Each item is checked and reserved as POST /v1/videos would be: an
   * item the plan no longer allows, or over the month's seconds or a hard cap, fails with the
   * code a single video would be refused with, and nothing is charged for it.
   */
  private async handOver(batch: Batch, who: KeyHolder, caps: SpendCaps, n: number): Promise<{ handed: number; full: boolean }> {
    const priority = batchesEnv.get().BATCH_PRIORITY_OFFSET + who.limits.queue_priority;
    const platformMax = videosEnv.get().VIDEO_MAX_DURATION_SECONDS;
    const picked = await this.db.transaction(async (tx) => {
      const rows = await this.items.pickWaiting(tx, batch.id, n);
      const taken: string[] = [];
      const refused: { id: string; code: string; message: string }[] = [];
      let full = false;
      for (const row of rows) {
        const disallowed = notAllowed(who, row.durationSeconds, row.resolution, platformMax);
        if (disallowed) {
          refused.push({ id: row.id, ...disallowed });
          continue;
        }
        try {
          await this.quota.reserve(who, row.id, row.durationSeconds, {
            secondsCap: caps.seconds,
            amountCap: caps.amount,
            ratePerSecond: (await this.rates.forTenant(who.tenantId)).overagePerSecond[row.resolution],
          });
          taken.push(row.id);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          if (e.code === 'concurrency_limited') {
            full = true;
            break;
          }
          // Anything else (Redis unreachable) is not the item's fault: the pass ends, the item waits.
          const message = REFUSALS[e.code];
          if (!message) throw e;
          refused.push({ id: row.id, code: e.code, message });
        }
      }
      await this.items.handedOver(tx, taken, priority);
      return { taken, refused, full };
    });
    for (const id of picked.taken) await this.quota.hold({ id, tenantId: batch.tenantId, livemode: batch.livemode });
    // If this fails the items are dispatched without a job; the stale-video sweep enqueues them.
    await this.queue.enqueueBulk(picked.taken.map((videoId) => ({ videoId, priority })));
    for (const r of picked.refused) await this.transitions.failed(r.id, r.code, r.message);
    return { handed: picked.taken.length, full: picked.full };
  }

  /** Batches with nothing queued or running end: `failed` when no item succeeded, else `completed`. */
  private async finishDone(): Promise<void> {
    const done = (await this.db.query(`select id from batches where status = 'in_progress' and queued = 0 and running = 0`)) as { id: string }[];
    for (const { id } of done) {
      await this.db.transaction(async (tx) => {
        const [rows] = (await tx.query(
          `update batches set status = case when succeeded = 0 and failed > 0 then 'failed' else 'completed' end, completed_at = now(), updated_at = now()
            where id = $1 and status = 'in_progress' and queued = 0 and running = 0 returning id`,
          [id],
        )) as [{ id: string }[], number];
        if (!rows.length) return;
        await this.outbox.record(tx, batchFinishedEvent(await tx.findOneByOrFail(Batch, { id })));
      });
    }
  }

  /** A batch left `validating` by an API process that died while writing its items (one transaction, so none were written) never starts. */
  private async failAbandoned(): Promise<void> {
    await this.db.query(
      `update batches set status = 'failed', total = 0, queued = 0, completed_at = now(), updated_at = now()
        where status = 'validating' and created_at < now() - make_interval(secs => $1::float8 / 1000)`,
      [batchesEnv.get().BATCH_VALIDATING_TIMEOUT_MS],
    );
  }
}

/** Batch items over a month's limit fail with the refusal's code; the text says it happened while the batch ran. */
const REFUSALS: Record<string, string> = {
  quota_exceeded: 'The monthly video-seconds ran out before this item could run.',
  spend_cap_reached: 'This item would have gone over your hard spend cap for the period; nothing was charged. Raise the cap and retry the failed items.',
};

/** The plan's duration and resolution as they are now (checkPlanAllows' rule for POST /v1/videos). */
function notAllowed(who: KeyHolder, duration: number, resolution: Resolution, platformMax: number): { code: string; message: string } | null {
  const maxDuration = Math.min(who.limits.max_duration_seconds, platformMax);
  if (duration > maxDuration) return { code: 'duration_not_allowed', message: `Your plan now allows videos of at most ${maxDuration} seconds.` };
  if (!resolutionAllowed(resolution, who.limits.max_resolution))
    return { code: 'resolution_not_allowed', message: `Your plan now allows resolutions up to ${who.limits.max_resolution}.` };
  return null;
}
