import { resourceUrl, type OutboxEvent } from '../platform/outbox/event-outbox.js';
import type { Batch } from './batch.entity.js';

export const requestCounts = (b: Batch) => ({
  total: b.total,
  queued: b.queued,
  running: b.running,
  succeeded: b.succeeded,
  failed: b.failed,
  canceled: b.canceled,
  expired: b.expired,
});

/**
 * `batch.completed` (some or all items succeeded), `batch.failed` (every item failed) or
 * `batch.expired` (items had not started by its complete_by), thin like every event.
 */
export function batchFinishedEvent(batch: Batch): OutboxEvent {
  return {
    type: batch.status === 'failed' ? 'batch.failed' : batch.status === 'expired' ? 'batch.expired' : 'batch.completed',
    tenantId: batch.tenantId,
    subjectId: batch.id,
    data: { id: batch.id, object: 'batch', status: batch.status, url: resourceUrl(`/v1/batches/${batch.id}`), request_counts: requestCounts(batch) },
    livemode: batch.livemode,
  };
}
