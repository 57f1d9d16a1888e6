import type { Batch } from './batch.entity.js';
import type { BatchObject } from './dto/batch.object.js';
import { requestCounts } from './batch-events.js';
import { resourceUrl } from '../platform/outbox/event-outbox.js';

const LISTED_REJECTS = 100;

export function presentBatch(b: Batch): BatchObject {
  return {
    id: b.id,
    object: 'batch',
    status: b.status,
    livemode: b.livemode,
    request_counts: requestCounts(b),
    metadata: b.metadata,
    model: b.model ?? { rule: 'winner', repo: null, digest: null },
    on_invalid: b.onInvalid,
    destination: b.deliveryTarget?.destination_id ?? null,
    destination_key: b.deliveryTarget?.key_template ?? null,
    rejected_count: b.rejectedRows.length,
    rejected_rows: b.rejectedRows.slice(0, LISTED_REJECTS),
    input: b.input,
    results_url: resourceUrl(`/v1/batches/${b.id}/results`),
    created_at: b.createdAt.toISOString(),
    in_progress_at: b.inProgressAt?.toISOString() ?? null,
    completed_at: b.completedAt?.toISOString() ?? null,
    canceled_at: b.canceledAt?.toISOString() ?? null,
  };
}
