import type { Batch } from './batch.entity.js';
import type { BatchManifestDelivery, BatchObject } from './dto/batch.object.js';
import { requestCounts } from './batch-events.js';
import { resourceUrl } from '../platform/outbox/event-outbox.js';

const LISTED_REJECTS = 100;

/** The mean length of a recent render on the backend pool, and the tenant's concurrent videos. */
export interface BatchTiming {
  renderSeconds: number;
  slots: number;
}

/**
 * While the batch runs: its items still queued or running, `slots` at a time, one render each
 * (ceil(left / slots) renders from now). The tenant's other videos share those slots, so it
 * errs early when they are busy; it updates on every read as items finish.
 */
function estimatedCompletion(b: Batch, t: BatchTiming): string | null {
  if (b.status !== 'in_progress' && b.status !== 'validating') return null;
  const left = b.queued + b.running;
  return new Date(Date.now() + Math.ceil(left / Math.max(1, t.slots)) * t.renderSeconds * 1000).toISOString();
}

/** Pending (key unknown) until the batch ends and the relay first tries; null without a destination. */
export function manifestDelivery(b: Batch): BatchManifestDelivery | null {
  if (!b.deliveryTarget) return null;
  return {
    destination: b.deliveryTarget.destination_id,
    status: b.manifestStatus ?? 'pending',
    key: b.manifestKey,
    attempts: b.manifestAttempts,
    last_error: b.manifestError,
    delivered_at: b.manifestDeliveredAt?.toISOString() ?? null,
  };
}

export function presentBatch(b: Batch, timing: BatchTiming): BatchObject {
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
    manifest_delivery: manifestDelivery(b),
    complete_by: b.completeBy?.toISOString() ?? null,
    estimated_completion_at: estimatedCompletion(b, timing),
    created_at: b.createdAt.toISOString(),
    in_progress_at: b.inProgressAt?.toISOString() ?? null,
    completed_at: b.completedAt?.toISOString() ?? null,
    canceled_at: b.canceledAt?.toISOString() ?? null,
  };
}
