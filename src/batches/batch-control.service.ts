import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Batch } from './batch.entity.js';
import { BatchesService } from './batches.service.js';
import { BatchQuota, type SpendItem } from './batch-quota.service.js';
import { QuotaService, quotaSubjectOf } from '../limits/index.js';
import { DomainError } from '../platform/http/domain-error.js';
import { newId } from '../platform/http/ids.js';
import type { TenantPrincipal } from '../core/auth/principal.js';

/** Columns a retried item copies from the attempt that failed (all but status, results and timestamps). */
const COPIED = 'tenant_id, api_key_id, livemode, prompt, duration_seconds, resolution, aspect_ratio, width, height, fps, frames, negative_prompt, seed, queue_priority, camera, metadata, input, batch_id, custom_id';

/**
 * Cancel and retry-failed. Each is one transaction over the item rows; the trigger on `videos`
 * moves the batch's counts in the same statements, so the counts always sum to `total`.
 */
@Injectable()
export class BatchControl {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly batches: BatchesService,
    private readonly batchQuota: BatchQuota,
    private readonly quota: QuotaService,
  ) {}

  /**
   * Queued items are canceled at once, running ones finish (and are charged if they succeed).
   * Items already handed to the queue hold a concurrency slot and reserved seconds: released here.
   * Bulk cancel writes no `video.canceled` event per item; the batch's own status says it.
   */
  async cancel(tenantId: string, id: string, livemode: boolean): Promise<Batch> {
    const released = await this.db.transaction(async (tx) => {
      const res = await tx.query(`update batches set status = 'canceled', canceled_at = now(), updated_at = now() where id = $1 and tenant_id = $2 and livemode = $3 and status in ('validating', 'in_progress') returning id`, [id, tenantId, livemode]);
      if (!(res as [unknown[], number])[0].length) return null;
      const [rows] = (await tx.query(`update videos set status = 'canceled', completed_at = now(), updated_at = now() where batch_id = $1 and status = 'queued' returning id, dispatched_at`, [id])) as [{ id: string; dispatched_at: Date | null }[], number];
      return rows.filter((r) => r.dispatched_at !== null).map((r) => r.id);
    });
    if (released === null) {
      const batch = await this.batches.get(tenantId, id, livemode);
      throw new DomainError('batch_not_cancelable', `Batch '${id}' is already ${batch.status}.`);
    }
    // A queued job whose row is canceled is a no-op when a worker takes it.
    for (const videoId of released) await this.quota.release({ id: videoId, tenantId });
    return this.batches.get(tenantId, id, livemode);
  }

  /**
   * Failed items run again as new videos with the same input, custom_id and row; the failed
   * attempts stay as they were (terminal, listed under ?batch_id=) but leave the manifest. The
   * seconds are checked against the quota first, as for a new batch.
   */
  async retryFailed(who: TenantPrincipal, id: string): Promise<Batch> {
    const batch = await this.batches.get(who.tenantId, id, who.livemode);
    if (batch.status === 'canceled' || batch.status === 'validating' || batch.failed === 0) {
      throw new DomainError('batch_nothing_to_retry', batch.status === 'canceled' ? `Batch '${id}' was canceled.` : `Batch '${id}' has no failed items.`);
    }
    const failed = (await this.db.query(`select duration_seconds as "durationSeconds", resolution from videos where batch_id = $1 and status = 'failed' and batch_index is not null`, [id])) as SpendItem[];
    await this.batchQuota.check(quotaSubjectOf(who), failed.reduce((s, i) => s + i.durationSeconds, 0), batch.failed);
    await this.batchQuota.checkSpend(who, failed);
    await this.db.transaction(async (tx) => {
      const failed = (await tx.query(`select id, batch_index from videos where batch_id = $1 and status = 'failed' and batch_index is not null order by batch_index for update`, [id])) as { id: string; batch_index: number }[];
      if (failed.length === 0) return;
      const oldIds = failed.map((f) => f.id);
      // The row numbers move to the new attempts (the unique (batch_id, batch_index) index holds one per row).
      await tx.query('update videos set batch_index = null where id = any($1)', [oldIds]);
      await tx.query(
        `insert into videos (id, status, attempts, batch_index, ${COPIED})
         select m.new_id, 'queued', 0, m.idx, ${COPIED.split(', ').map((c) => `v.${c}`).join(', ')}
           from unnest($1::text[], $2::text[], $3::int[]) as m(old_id, new_id, idx) join videos v on v.id = m.old_id`,
        [oldIds, failed.map(() => newId('video')), failed.map((f) => f.batch_index)],
      );
      await tx.query(
        `update batches set failed = failed - $2, queued = queued + $2, status = 'in_progress', completed_at = null, updated_at = now() where id = $1`,
        [id, failed.length],
      );
    });
    return this.batches.get(who.tenantId, id, who.livemode);
  }
}
