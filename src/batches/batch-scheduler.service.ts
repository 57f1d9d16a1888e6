import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Batch } from './batch.entity.js';
import { batchFinishedEvent } from './batch-events.js';
import { batchesEnv } from './batches.env.js';
import { isRefusal, keyHolder, type KeyHolder, type KeyRefusal } from '../keys/index.js';
import { QuotaService } from '../limits/index.js';
import { SpendAlertsService } from '../usage/index.js';
import { RateCards } from '../contracts/index.js';
import { BatchItems, VideosQueue, VideoTransitions, videosEnv, WaitingQueue } from '../videos/index.js';
import { resolutionAllowed } from '../core/limits/effective-limits.js';
import type { Resolution } from '../core/video-format.js';
import { EventOutbox } from '../platform/outbox/event-outbox.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';
import { DomainError } from '../platform/http/domain-error.js';

/** Waiting items of a stopped key's batch failed per pass: a 50,000-item batch ends over a few passes, not in one long one. */
const FAIL_PER_TICK = 1_000;
/** Waiting videos expired per pass (their start_by or their batch's complete_by passed). */
const EXPIRE_PER_TICK = 1_000;

/**
 * The scheduler of every video that waits for a concurrency slot (README, "Queue and batches"):
 * batch items wait in their batch, single videos over the tenant's concurrency wait as rows too
 * (`queued`, not dispatched; WaitingQueue). Every BATCH_SCHEDULE_INTERVAL_MS each worker hands
 * over, per tenant, only as many as the tenant has free concurrency slots (reserved like POST
 * /v1/videos does, so it never runs more than the plan's concurrent videos) and at most
 * BATCH_QUEUED_PER_TENANT batch items waiting in the queue, in WaitingQueue's fair order: the
 * tenant's keys, and its batches, take turns, so a batch may use every slot while nothing else
 * waits and a single video still gets the next turn. Handed-over batch items go to the videos
 * queue at the plan's priority plus BATCH_PRIORITY_OFFSET, behind every interactive video. So a
 * 50,000-item batch has a handful of jobs in the queue at a time: another tenant's interactive
 * video waits only for a running job to end, and another tenant's batch items only behind that
 * handful, never behind the whole batch. Videos whose start_by passed first end `expired`.
 * Workers may run this side by side: waiting rows are picked FOR UPDATE SKIP LOCKED and the slot
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
    private readonly waiting: WaitingQueue,
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

  /** One pass: expire what waited too long, hand over what fits, then finish batches whose items have all ended. */
  async tick(): Promise<void> {
    await this.failAbandoned();
    await this.transitions.expiredWaiting(EXPIRE_PER_TICK);
    await this.failStoppedKeys();
    // A tenant's live and test videos draw on separate slots (test mode has its own limits).
    const owners = await this.waiting.owners();
    this.turn = (this.turn + 1) % Math.max(1, owners.length);
    for (let i = 0; i < owners.length; i++) await this.feedTenant(owners[(this.turn + i) % owners.length]!);
    await this.finishDone();
  }

  /**
   * A batch whose key was revoked or expired has its waiting items failed. A roll revokes the old
   * key and moves its batches to the new one in one transaction: a refusal seen after the batch
   * list was read may be that roll, so the batch's key is read again.
   */
  private async failStoppedKeys(): Promise<void> {
    const open = await this.db
      .getRepository(Batch)
      .createQueryBuilder('b')
      .select(['b.id', 'b.tenantId', 'b.apiKeyId', 'b.livemode'])
      .where(`b.status = 'in_progress' and b.queued > b.running`)
      .orderBy('b.id')
      .getMany();
    for (const batch of open) {
      const who = await keyHolder(this.db.manager, batch);
      if (isRefusal(who) && (await this.stillOnKey(batch))) await this.transitions.failedWaiting(batch.id, who.code, who.message, FAIL_PER_TICK);
    }
  }

  /** The key each running batch of the tenant runs under now, by batch id. */
  private async batchKeys(tenantId: string, livemode: boolean): Promise<Map<string, string | null>> {
    const open = await this.db.getRepository(Batch).find({ where: { tenantId, livemode, status: 'in_progress' }, select: { id: true, apiKeyId: true } });
    return new Map(open.map((b) => [b.id, b.apiKeyId]));
  }

  private async stillOnKey(batch: Batch): Promise<boolean> {
    const now = await this.db.getRepository(Batch).findOne({ where: { id: batch.id }, select: { id: true, apiKeyId: true } });
    return now?.apiKeyId === batch.apiKeyId;
  }

  /**
   * The tenant's free slots go to its waiting videos in fair order, each checked and reserved as
   * POST /v1/videos would be, under the tenant's limits and hard caps as they are now (not as they
   * were when the video was accepted): one the plan no longer allows, or over the month's seconds
   * or a hard cap, fails with the code a single video would be refused with, uncharged.
   */
  private async feedTenant(owner: { tenantId: string; livemode: boolean }): Promise<void> {
    const env = batchesEnv.get();
    const { tenantId, livemode } = owner;
    const holders = new Map<string | null, KeyHolder | KeyRefusal>();
    const holderOf = async (apiKeyId: string | null) => {
      if (!holders.has(apiKeyId)) holders.set(apiKeyId, await keyHolder(this.db.manager, { tenantId, apiKeyId, livemode }));
      return holders.get(apiKeyId)!;
    };
    const inQueue = await this.items.inQueue(tenantId, livemode);
    const active = (await this.quota.read({ tenantId, livemode })).active;
    const batchKeys = await this.batchKeys(tenantId, livemode);
    // A batch's items run under its key as it is now: a roll moves the batch to the new key, not its items' rows.
    const keyOf = (row: { apiKeyId: string | null; batchId: string | null }) => (row.batchId && batchKeys.get(row.batchId)) ?? row.apiKeyId;
    const waitingKeys = new Set([...(await this.waiting.keysWaiting(tenantId, livemode)), ...batchKeys.values()]);
    const anyHolder = await this.firstHolder(waitingKeys, holderOf);
    if (!anyHolder) return;
    const free = anyHolder.limits.concurrent_videos - active;
    if (free <= 0) return;
    // Everything the pick reads from the database is read before its transaction: a query on another
    // pooled connection while the transaction holds one needs a second server connection, which
    // behind a transaction-pooling PgBouncer two such transactions can hold from each other for good.
    for (const apiKeyId of waitingKeys) {
      const who = await holderOf(apiKeyId);
      if (!isRefusal(who)) await this.quota.prepare(who);
    }
    const rateCard = await this.rates.forTenant(tenantId);
    // Hard caps bind live videos as they bind POST /v1/videos (test mode has no spend).
    const caps = livemode ? await this.alerts.caps(tenantId) : { amount: -1, seconds: -1 };
    const platformMax = videosEnv.get().VIDEO_MAX_DURATION_SECONDS;
    let batchRoom = env.BATCH_QUEUED_PER_TENANT - inQueue;
    const picked = await this.db.transaction(async (tx) => {
      const rows = await this.waiting.pick(tx, tenantId, livemode, free);
      const taken: { id: string; priority: number; trace: Record<string, string> | null }[] = [];
      const refused: { id: string; code: string; message: string }[] = [];
      for (const row of rows) {
        if (row.batchId && batchRoom <= 0) continue;
        const who = holders.get(keyOf(row));
        // A key that began waiting after the reads above: its videos wait for the next pass.
        if (!who) continue;
        if (isRefusal(who)) {
          // A batch's items are failed with their batch (failStoppedKeys); a single video here.
          if (!row.batchId) refused.push({ id: row.id, code: who.code, message: who.message.replace('this batch', 'this video').replace('this item', 'it') });
          continue;
        }
        const disallowed = notAllowed(who, row.durationSeconds, row.resolution, platformMax);
        if (disallowed) {
          refused.push({ id: row.id, ...disallowed });
          continue;
        }
        try {
          await this.quota.reserve(who, row.id, row.billedSeconds, {
            secondsCap: caps.seconds,
            amountCap: caps.amount,
            ratePerSecond: rateCard.overagePerSecond[row.resolution],
          });
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          if (e.code === 'concurrency_limited') break;
          // Anything else (Redis unreachable) is not the video's fault: the pass ends, the video waits.
          const message = REFUSALS[e.code];
          if (!message) throw e;
          refused.push({ id: row.id, code: e.code, message });
          continue;
        }
        const priority = (row.batchId ? env.BATCH_PRIORITY_OFFSET : 0) + who.limits.queue_priority;
        taken.push({ id: row.id, priority, trace: row.trace });
        if (row.batchId) batchRoom--;
      }
      for (const priority of new Set(taken.map((t) => t.priority)))
        await this.waiting.handedOver(
          tx,
          taken.filter((t) => t.priority === priority).map((t) => t.id),
          priority,
        );
      return { taken, refused };
    });
    for (const { id } of picked.taken) await this.quota.hold({ id, tenantId, livemode });
    // If this fails the videos are dispatched without a job; the stale-video sweep enqueues them.
    await this.queue.enqueueBulk(picked.taken.map(({ id, priority, trace }) => ({ videoId: id, priority, trace })));
    for (const r of picked.refused) await this.transitions.failed(r.id, r.code, r.message);
  }

  /**
   * The limits of the tenant as they are now, through any of its keys that is still valid (the
   * plan's, not a key's). None when every waiting video's key was stopped: a batch's items are
   * failed by failStoppedKeys, single videos end `expired` at their start_by (uncharged either way).
   */
  private async firstHolder(keys: Set<string | null>, holderOf: (apiKeyId: string | null) => Promise<KeyHolder | KeyRefusal>): Promise<KeyHolder | null> {
    for (const apiKeyId of keys) {
      const who = await holderOf(apiKeyId);
      if (!isRefusal(who)) return who;
    }
    return null;
  }

  /**
   * Batches with nothing queued or running end: `expired` when items had not started by its
   * complete_by, else `failed` when no item succeeded, else `completed`; one with a destination
   * gets its manifest written there (BatchManifestRelay).
   */
  private async finishDone(): Promise<void> {
    const done = (await this.db.query(`select id from batches where status = 'in_progress' and queued = 0 and running = 0`)) as { id: string }[];
    for (const { id } of done) {
      await this.db.transaction(async (tx) => {
        const [rows] = (await tx.query(
          `update batches set status = case when expired > 0 then 'expired' when succeeded = 0 and failed > 0 then 'failed' else 'completed' end, completed_at = now(), updated_at = now()
            where id = $1 and status = 'in_progress' and queued = 0 and running = 0 returning id`,
          [id],
        )) as [{ id: string }[], number];
        if (!rows.length) return;
        // The manifest's outbox state, written again when a batch retried ends again (the relay rewrites the file).
        await tx.query(
          `update batches set manifest_status = 'pending', manifest_attempts = 0, manifest_error = null, manifest_delivered_at = null, manifest_next_attempt_at = now()
            where id = $1 and delivery_target is not null`,
          [id],
        );
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
