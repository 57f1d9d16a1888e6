import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Batch } from './batch.entity.js';
import { batchFinishedEvent } from './batch-events.js';
import { batchesEnv } from './batches.env.js';
import { QuotaService } from '../limits/index.js';
import { VideosQueue, VideoTransitions } from '../videos/index.js';
import { EventOutbox } from '../platform/outbox/event-outbox.js';
import { DomainError } from '../platform/http/domain-error.js';
import type { TenantPrincipal } from '../core/auth/principal.js';

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
  private readonly logger = new Logger(BatchScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  /** Where the next pass starts in the list of tenants, so no tenant is always served first. */
  private turn = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly quota: QuotaService,
    private readonly queue: VideosQueue,
    private readonly transitions: VideoTransitions,
    private readonly outbox: EventOutbox,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((e: Error) => this.logger.error(`batch scheduler: ${e.message}`))
        .then(() => this.schedule());
    }, batchesEnv.get().BATCH_SCHEDULE_INTERVAL_MS);
  }

  /** One pass: hand over what fits, then finish batches whose items have all ended. */
  async tick(): Promise<void> {
    await this.failAbandoned();
    const open = await this.db.getRepository(Batch).createQueryBuilder('b')
      .select(['b.id', 'b.tenantId', 'b.apiKeyId', 'b.livemode', 'b.limits'])
      .where(`b.status = 'in_progress' and b.queued > 0`).orderBy('b.id').getMany();
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

  /** The tenant's batches in creation order get its free slots. */
  private async feedTenant(batches: Batch[]): Promise<void> {
    const env = batchesEnv.get();
    const { tenantId, livemode } = batches[0]!;
    const limits = batches.at(-1)!.limits.tenant;
    const cap = env.BATCH_LEAVE_INTERACTIVE_SLOT && limits.concurrent_videos > 1 ? limits.concurrent_videos - 1 : limits.concurrent_videos;
    const [{ waiting }] = (await this.db.query(
      `select count(*)::int as waiting from videos where tenant_id = $1 and livemode = $2 and status = 'queued' and batch_id is not null and dispatched_at is not null`,
      [tenantId, livemode],
    )) as { waiting: number }[];
    let free = Math.min(cap - (await this.quota.read({ tenantId, livemode })).active, env.BATCH_QUEUED_PER_TENANT - waiting);
    for (const batch of batches) {
      if (free <= 0) return;
      const { handed, full } = await this.handOver(batch, free);
      free -= handed;
      if (full) return;
    }
  }

  /** Up to `n` of the batch's waiting items, in row order; returns how many went and whether the tenant is at its limit. */
  private async handOver(batch: Batch, n: number): Promise<{ handed: number; full: boolean }> {
    const who = principalOf(batch);
    const picked = await this.db.transaction(async (tx) => {
      const rows = (await tx.query(
        `select id, duration_seconds, queue_priority from videos where batch_id = $1 and status = 'queued' and dispatched_at is null order by batch_index limit $2 for update skip locked`,
        [batch.id, n],
      )) as { id: string; duration_seconds: number; queue_priority: number | null }[];
      const taken: typeof rows = [];
      const overQuota: string[] = [];
      let full = false;
      for (const row of rows) {
        try {
          await this.quota.reserve(who, row.id, row.duration_seconds);
          taken.push(row);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          if (e.code === 'concurrency_limited') {
            full = true;
            break;
          }
          overQuota.push(row.id);
        }
      }
      if (taken.length) await tx.query('update videos set dispatched_at = now() where id = any($1)', [taken.map((t) => t.id)]);
      return { taken, overQuota, full };
    });
    for (const row of picked.taken) await this.quota.hold({ id: row.id, tenantId: batch.tenantId, livemode: batch.livemode });
    // If this fails the items are dispatched without a job; the stale-video sweep enqueues them.
    await this.queue.enqueueBulk(picked.taken.map((t) => ({ videoId: t.id, priority: t.queue_priority })));
    for (const id of picked.overQuota) await this.transitions.failed(id, 'quota_exceeded', 'The monthly video-seconds ran out before this item could run.');
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

/**
 * The key that created the batch, as the quota scripts need it: its tenant's limits and its
 * budget lineage, taken at creation. The other fields are never read by a reservation.
 */
function principalOf(batch: Batch): TenantPrincipal {
  return {
    kind: 'tenant',
    tenantId: batch.tenantId,
    keyId: batch.apiKeyId ?? '',
    keyLineageId: batch.limits.key_lineage_id,
    livemode: batch.livemode,
    scopes: [],
    plan: '',
    account: { name: '', billingMode: '', netDays: null },
    limits: batch.limits.tenant,
    keyLimits: { requestsPerMinute: null, monthlyVideoSeconds: batch.limits.key_monthly_video_seconds, expiresAt: null },
  };
}
