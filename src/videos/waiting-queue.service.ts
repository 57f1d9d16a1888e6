import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Resolution } from '../core/video-format.js';
import { videosEnv } from './videos.env.js';

/** A waiting video the dispatcher picked, locked in its transaction. */
export interface PickedVideo {
  id: string;
  apiKeyId: string | null;
  batchId: string | null;
  durationSeconds: number;
  /** Its seconds and those its priced post-production steps add: what is reserved and settled. */
  billedSeconds: number;
  resolution: Resolution;
  /** The trace context of the request that made it, which its job continues; null while tracing was off. */
  trace: Record<string, string> | null;
}

/**
 * The tenant's waiting videos (one mode) in the order they get slots: round-robin across lanes,
 * first-in-first-out within one. A lane is one key's single videos, or one batch (its rows in
 * order). The round is counted from when the oldest video still waiting was submitted: a lane's
 * videos dispatched since then are its turns already taken, so an item's turn is its place in
 * its lane plus those; the lowest turn goes first, ties to the lane waiting longest. So the keys
 * (and a key's single videos and each of its batches) take turns, a single video submitted while
 * a batch runs gets the next slot but one, and a lane alone gets every slot. Stateless: any worker
 * computes the same order from the rows.
 */
const FAIR_ORDER = `
  with waiting as (
    select id, api_key_id, batch_id, coalesce(batch_index, 0) as row_no, created_at from videos
     where tenant_id = $1 and livemode = $2 and status = 'queued' and dispatched_at is null
  ), busy as (
    select api_key_id, batch_id, count(*)::int as n from videos
     where tenant_id = $1 and livemode = $2 and dispatched_at >= (select min(created_at) from waiting)
     group by 1, 2
  ), turns as (
    select w.id,
           row_number() over (partition by w.api_key_id, w.batch_id order by w.row_no, w.id) + coalesce(b.n, 0) as turn,
           min(w.id) over (partition by w.api_key_id, w.batch_id) as lane
      from waiting w left join busy b on b.api_key_id is not distinct from w.api_key_id and b.batch_id is not distinct from w.batch_id
  )
  select id, row_number() over (order by turn, lane)::int as position from turns`;

/** Recent renders the estimate is taken from, and how long one reading of them is used. */
const RECENT_RENDERS = 100;
const RENDER_TIME_TTL_MS = 10_000;

/**
 * Videos waiting for a concurrency slot: rows `queued` and not yet dispatched (batch items in their
 * batch, single videos over the tenant's concurrency). The batch scheduler hands them over as
 * slots free; nothing about them is in Redis, so a restart loses none.
 */
@Injectable()
export class WaitingQueue {
  private renderTime: { seconds: number; at: number } | null = null;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Every tenant and mode with a video waiting (the partial index IDX_videos_waiting holds just those rows). */
  async owners(): Promise<{ tenantId: string; livemode: boolean }[]> {
    return (await this.db.query(
      `select distinct tenant_id as "tenantId", livemode from videos where status = 'queued' and dispatched_at is null order by 1, 2`,
    )) as { tenantId: string; livemode: boolean }[];
  }

  /** The keys whose videos of the tenant wait in one mode. */
  async keysWaiting(tenantId: string, livemode: boolean): Promise<(string | null)[]> {
    const rows = (await this.db.query(
      `select distinct api_key_id from videos where tenant_id = $1 and livemode = $2 and status = 'queued' and dispatched_at is null`,
      [tenantId, livemode],
    )) as { api_key_id: string | null }[];
    return rows.map((r) => r.api_key_id);
  }

  /** Up to `n` in fair order, locked FOR UPDATE SKIP LOCKED in the caller's transaction (schedulers side by side never pick the same). */
  async pick(tx: EntityManager, tenantId: string, livemode: boolean, n: number): Promise<PickedVideo[]> {
    return (await tx.query(
      `select v.id, v.api_key_id as "apiKeyId", v.batch_id as "batchId", v.duration_seconds as "durationSeconds",
              v.duration_seconds + coalesce((v.post_production->>'billed_seconds')::int, 0) as "billedSeconds", v.resolution, v.trace
         from videos v join (${FAIR_ORDER} order by position limit $3) o on o.id = v.id
        where v.status = 'queued' and v.dispatched_at is null
        order by o.position for update of v skip locked`,
      [tenantId, livemode, n],
    )) as PickedVideo[];
  }

  /** Picked videos go to the queue at `priority` (a batch's items behind every single video). */
  async handedOver(tx: EntityManager, ids: string[], priority: number): Promise<void> {
    if (ids.length) await tx.query('update videos set dispatched_at = now(), queue_priority = $2 where id = any($1)', [ids, priority]);
  }

  /**
   * The video's place (1 = next), null once it is dispatched or when it is not waiting; and the
   * tenant's videos in flight in its mode: while anything waits, every slot is taken, so that is
   * the tenant's concurrency as it is now, without reading its plan.
   */
  async place(
    video: { id: string; tenantId: string; livemode: boolean },
    db: Pick<EntityManager, 'query'> = this.db,
  ): Promise<{ position: number; slots: number } | null> {
    const [row] = (await db.query(
      `select q.position, (select count(*)::int from videos
          where tenant_id = $1 and livemode = $2 and status in ('queued', 'running') and dispatched_at is not null) as slots
         from (${FAIR_ORDER}) q where q.id = $3`,
      [video.tenantId, video.livemode, video.id],
    )) as { position: number; slots: number }[];
    return row ? { position: row.position, slots: Math.max(1, row.slots) } : null;
  }

  /** Single videos (not batch items) of the tenant waiting in one mode: what the plan's `max_queued_videos` caps. */
  async waitingSingles(tenantId: string, livemode: boolean, db: Pick<EntityManager, 'query'> = this.db): Promise<number> {
    const [{ n }] = (await db.query(
      `select count(*)::int as n from videos where tenant_id = $1 and livemode = $2 and status = 'queued' and dispatched_at is null and batch_id is null`,
      [tenantId, livemode],
    )) as { n: number }[];
    return n;
  }

  /** The tenant's videos in one mode not finished yet (waiting or running): the work ahead of anything it submits now. */
  async unfinished(tenantId: string, livemode: boolean): Promise<number> {
    const [{ n }] = (await this.db.query(`select count(*)::int as n from videos where tenant_id = $1 and livemode = $2 and status in ('queued', 'running')`, [
      tenantId,
      livemode,
    ])) as { n: number }[];
    return n;
  }

  /**
   * When the video at `position` should start, with `slots` (the tenant's concurrency) turning
   * over once per render: ceil(position / slots) renders from now. A render's length is the mean
   * run time (started → completed) of the last RECENT_RENDERS videos the backend pool delivered,
   * on any tenant, so it follows the live pool (a slower or busier pool shows in longer runs);
   * QUEUE_ETA_FALLBACK_SECONDS when none has yet. The running videos' remaining time is not known
   * and counts as a whole render: the estimate errs late, not early.
   */
  async estimatedStart(position: number, slots: number, db: Pick<EntityManager, 'query'> = this.db): Promise<Date> {
    const render = await this.renderSeconds(db);
    return new Date(Date.now() + Math.ceil(position / Math.max(1, slots)) * render * 1000);
  }

  /** The mean length of a recent render (see estimatedStart), for a batch's estimated_completion_at. */
  recentRenderSeconds(): Promise<number> {
    return this.renderSeconds(this.db);
  }

  private async renderSeconds(db: Pick<EntityManager, 'query'>): Promise<number> {
    if (this.renderTime && Date.now() - this.renderTime.at < RENDER_TIME_TTL_MS) return this.renderTime.seconds;
    const [row] = (await db.query(
      `select avg(extract(epoch from completed_at - started_at))::float8 as s from (
         select completed_at, started_at from videos where status = 'succeeded' and started_at is not null order by id desc limit $1) r`,
      [RECENT_RENDERS],
    )) as { s: number | null }[];
    const seconds = row?.s && row.s > 0 ? row.s : videosEnv.get().QUEUE_ETA_FALLBACK_SECONDS;
    this.renderTime = { seconds, at: Date.now() };
    return seconds;
  }
}
