import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { VideoOutputRef } from './video.entity.js';
import type { Resolution } from '../core/video-format.js';

/** An item's seconds and resolution: what its quota and cost checks need. */
/** What an item will be charged for: the seconds billed (its own and those its priced post-production adds), at its resolution. */
export interface BatchItemSpend {
  durationSeconds: number;
  resolution: Resolution;
}

/** A batch item as the results manifest lists it. */
export interface ManifestItem {
  batch_index: number;
  custom_id: string;
  /** Which variant of its row (1…n) when the row asked for `n`; 0 otherwise. */
  variant_index: number;
  id: string;
  status: string;
  output: Pick<VideoOutputRef, 'storage_key' | 'duration_seconds' | 'poster_key'> | null;
  error_code: string | null;
  error_message: string | null;
}

/** Where a manifest page starts: after this row and variant (`{ batch_index: 0, variant_index: 0 }` for the first page). */
export type ManifestCursor = Pick<ManifestItem, 'batch_index' | 'variant_index'>;

/**
 * A batch's items are video rows that wait in their batch (batch_id set, dispatched_at null)
 * until the batch scheduler hands them to the queue. batches/ reads them and hands them over
 * here; their status changes go through VideoTransitions.
 */
@Injectable()
export class BatchItems {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Up to `n` of the batch's waiting items in row order, locked in the caller's transaction (FOR
   * UPDATE SKIP LOCKED: schedulers side by side never pick the same item).
   */
  async pickWaiting(tx: EntityManager, batchId: string, n: number): Promise<({ id: string } & BatchItemSpend)[]> {
    return (await tx.query(
      `select id, duration_seconds + coalesce((post_production->>'billed_seconds')::int, 0) as "durationSeconds", resolution from videos where batch_id = $1 and status = 'queued' and dispatched_at is null order by batch_index limit $2 for update skip locked`,
      [batchId, n],
    )) as ({ id: string } & BatchItemSpend)[];
  }

  /** Picked items go to the queue at the tenant's priority as it is now (a downgrade applies to the items still waiting). */
  async handedOver(tx: EntityManager, ids: string[], priority: number): Promise<void> {
    if (ids.length) await tx.query('update videos set dispatched_at = now(), queue_priority = $2 where id = any($1)', [ids, priority]);
  }

  /** The tenant's handed-over batch items of one mode that no worker has started yet. */
  async inQueue(tenantId: string, livemode: boolean): Promise<number> {
    const [{ n }] = (await this.db.query(
      `select count(*)::int as n from videos where tenant_id = $1 and livemode = $2 and status = 'queued' and batch_id is not null and dispatched_at is not null`,
      [tenantId, livemode],
    )) as { n: number }[];
    return n;
  }

  /** Seconds of the tenant's batch items of one mode not yet handed over (of the given keys only, when named): promised, not yet reserved. */
  async waitingSeconds(tenantId: string, livemode: boolean, apiKeyIds: string[] | null): Promise<number> {
    const [{ s }] = (await this.db.query(
      `select coalesce(sum(duration_seconds + coalesce((post_production->>'billed_seconds')::int, 0)), 0)::int as s from videos
        where tenant_id = $1 and livemode = $2 and status = 'queued' and dispatched_at is null and batch_id is not null and ($3::text[] is null or api_key_id = any($3))`,
      [tenantId, livemode, apiKeyIds],
    )) as { s: number }[];
    return s;
  }

  /** The tenant's live batch items not yet handed over, summed per resolution. */
  async waitingLive(tenantId: string): Promise<BatchItemSpend[]> {
    const rows = (await this.db.query(
      `select resolution, coalesce(sum(duration_seconds + coalesce((post_production->>'billed_seconds')::int, 0)), 0)::int as s from videos
        where tenant_id = $1 and livemode and status = 'queued' and dispatched_at is null and batch_id is not null group by resolution`,
      [tenantId],
    )) as { resolution: Resolution; s: number }[];
    return rows.map((r) => ({ durationSeconds: r.s, resolution: r.resolution }));
  }

  /** The batch's failed items that hold a row (the ones retry-failed would run again). */
  async failed(batchId: string): Promise<BatchItemSpend[]> {
    return (await this.db.query(
      `select duration_seconds + coalesce((post_production->>'billed_seconds')::int, 0) as "durationSeconds", resolution from videos where batch_id = $1 and status = 'failed' and batch_index is not null`,
      [batchId],
    )) as BatchItemSpend[];
  }

  /** One page of the batch's items in row order (a row's variants in theirs), after `after` (the last item of the page before). */
  async manifestPage(batchId: string, after: ManifestCursor, limit: number): Promise<ManifestItem[]> {
    return (await this.db.query(
      `select batch_index, variant_index, custom_id, id, status, output, error_code, error_message from videos
        where batch_id = $1 and (batch_index, variant_index) > ($2, $3) order by batch_index, variant_index limit $4`,
      [batchId, after.batch_index, after.variant_index, limit],
    )) as ManifestItem[];
  }
}
