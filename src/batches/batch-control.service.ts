import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Batch } from './batch.entity.js';
import { BatchesService } from './batches.service.js';
import { BatchQuota } from './batch-quota.service.js';
import { BatchItems, VideoTransitions } from '../videos/index.js';
import { quotaSubjectOf } from '../limits/index.js';
import { DomainError } from '../platform/http/domain-error.js';
import type { TenantPrincipal } from '../core/auth/principal.js';

/**
 * Cancel and retry-failed. Each is one transaction over the batch and its items (VideoTransitions
 * writes them in it); the trigger on `videos` moves the batch's counts in the same statements, so
 * the counts always sum to `total`.
 */
@Injectable()
export class BatchControl {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly batches: BatchesService,
    private readonly batchQuota: BatchQuota,
    private readonly transitions: VideoTransitions,
    private readonly items: BatchItems,
  ) {}

  /**
   * Queued items are canceled at once, running ones finish (and are charged if they succeed).
   * Items already handed to the queue hold a concurrency slot and reserved seconds: released here.
   * Bulk cancel writes no `video.canceled` event per item; the batch's own status says it.
   */
  async cancel(tenantId: string, id: string, livemode: boolean): Promise<Batch> {
    const released = await this.db.transaction(async (tx) => {
      const res = await tx.query(
        `update batches set status = 'canceled', canceled_at = now(), updated_at = now() where id = $1 and tenant_id = $2 and livemode = $3 and status in ('validating', 'in_progress') returning id`,
        [id, tenantId, livemode],
      );
      if (!(res as [unknown[], number])[0].length) return null;
      return this.transitions.batchItemsCanceled(tx, id);
    });
    if (released === null) {
      const batch = await this.batches.get(tenantId, id, livemode);
      throw new DomainError('batch_not_cancelable', `Batch '${id}' is already ${batch.status}.`);
    }
    await this.transitions.releaseHandedOver(tenantId, released);
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
    const failed = await this.items.failed(id);
    await this.batchQuota.check(
      quotaSubjectOf(who),
      failed.reduce((s, i) => s + i.durationSeconds, 0),
      batch.failed,
    );
    await this.batchQuota.checkSpend(who, failed);
    await this.db.transaction(async (tx) => {
      const retried = await this.transitions.failedBatchItemsRetried(tx, id);
      if (retried === 0) return;
      await tx.query(
        `update batches set failed = failed - $2, queued = queued + $2, status = 'in_progress', completed_at = null, updated_at = now() where id = $1`,
        [id, retried],
      );
    });
    return this.batches.get(who.tenantId, id, who.livemode);
  }
}
