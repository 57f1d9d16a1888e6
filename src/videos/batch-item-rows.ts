import type { EntityManager } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import { traceCarrier } from '../platform/tracing/job-trace-context.js';
import type { VideoInputRef, VideoPostProduction, VideoSegment } from './video.entity.js';
import type { AspectRatio, Resolution } from '../core/video-format.js';
import type { DeliveryTarget } from '../destinations/index.js';

// The status writes on a batch's items, in the caller's transaction. Only VideoTransitions calls
// these (it is the one writer of a video's status); batches/ reaches them through it.

/** The batch an item belongs to, and whose it is. */
export interface BatchItemOwner {
  batchId: string;
  tenantId: string;
  apiKeyId: string;
  livemode: boolean;
  queuePriority: number;
  /** The model every item is pinned to (the batch's pin, or the king at creation); null follows the winner. */
  modelPin: { repo: string; digest: string } | null;
  /** Where every item's files are copied when it succeeds (the batch's destination); null: nowhere. */
  deliveryTarget: DeliveryTarget | null;
  /** The batch's complete_by: an item not handed to the queue by then ends `expired`. */
  startBy: Date | null;
}

/** One valid row of a batch, with its image and the frames the serving model will make. */
export interface NewBatchItem {
  row: number;
  customId: string;
  prompt: string;
  durationSeconds: number;
  resolution: Resolution;
  aspectRatio: AspectRatio;
  seed?: number;
  camera?: string;
  negativePrompt?: string;
  metadata: Record<string, string>;
  /** The row's variants (`n`) share a group; null for a row that asked for none. */
  groupId: string | null;
  /** Which of its row's variants it is (0 without `n`). */
  variantIndex: number;
  input: VideoInputRef;
  target: { width: number; height: number; fps: number; frames: number; segments: VideoSegment[] | null; postProduction: VideoPostProduction | null };
}

/** Per-item columns, each sent as one array parameter and unnested: a statement's size does not grow with its parameter count. */
const COLUMNS: [string, string, (i: NewBatchItem) => unknown][] = [
  ['id', 'text', () => newId('video')],
  ['prompt', 'text', (i) => i.prompt],
  ['duration_seconds', 'int', (i) => i.durationSeconds],
  ['resolution', 'text', (i) => i.resolution],
  ['aspect_ratio', 'text', (i) => i.aspectRatio],
  ['width', 'int', (i) => i.target.width],
  ['height', 'int', (i) => i.target.height],
  ['fps', 'int', (i) => i.target.fps],
  ['frames', 'int', (i) => i.target.frames],
  ['negative_prompt', 'text', (i) => i.negativePrompt ?? null],
  ['seed', 'bigint', (i) => i.seed ?? null],
  ['camera', 'text', (i) => i.camera ?? null],
  ['metadata', 'jsonb', (i) => JSON.stringify(i.metadata)],
  ['input', 'jsonb', (i) => JSON.stringify(i.input)],
  ['batch_index', 'int', (i) => i.row],
  ['custom_id', 'text', (i) => i.customId],
  ['group_id', 'text', (i) => i.groupId],
  ['variant_index', 'int', (i) => i.variantIndex],
  ['segments', 'jsonb', (i) => i.target.segments && JSON.stringify(i.target.segments)],
  ['post_production', 'jsonb', (i) => i.target.postProduction && JSON.stringify(i.target.postProduction)],
];

/**
 * Writes a batch's items as `queued` video rows, `chunk` per INSERT … SELECT FROM unnest(arrays):
 * one round trip per chunk with a fixed number of parameters.
 */
export async function insertBatchItems(tx: EntityManager, owner: BatchItemOwner, items: NewBatchItem[], chunk: number): Promise<void> {
  const names = COLUMNS.map(([name]) => name);
  const unnest = COLUMNS.map(([, type], k) => `$${k + 11}::${type}[]`).join(', ');
  const sql = `insert into videos (tenant_id, api_key_id, livemode, status, queue_priority, batch_id, model_pin, delivery_target, start_by, trace, attempts, ${names.join(', ')})
    select $1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::timestamptz, $10::jsonb, 0, ${names.map((n) => `u.${n}`).join(', ')} from unnest(${unnest}) as u(${names.join(', ')})`;
  // The scheduler enqueues the items later: their rows carry the request's trace to their jobs.
  const trace = traceJson();
  for (let start = 0; start < items.length; start += chunk) {
    const slice = items.slice(start, start + chunk);
    await tx.query(sql, [
      owner.tenantId,
      owner.apiKeyId,
      owner.livemode,
      'queued',
      owner.queuePriority,
      owner.batchId,
      owner.modelPin && JSON.stringify(owner.modelPin),
      owner.deliveryTarget && JSON.stringify(owner.deliveryTarget),
      owner.startBy,
      trace,
      ...COLUMNS.map(([, , value]) => slice.map(value)),
    ]);
  }
}

/** Columns a retried item copies from the attempt that failed (all but status, results and timestamps). */
const COPIED =
  'tenant_id, api_key_id, livemode, prompt, duration_seconds, resolution, aspect_ratio, width, height, fps, frames, negative_prompt, seed, queue_priority, camera, metadata, input, batch_id, custom_id, group_id, variant_index, model_pin, delivery_target';

/**
 * Failed items of the batch as new `queued` videos with the same input, custom_id and row; the
 * failed attempts stay as they were (terminal, listed under ?batch_id=) without a row number.
 * Returns how many.
 */
export async function copyFailedBatchItems(tx: EntityManager, batchId: string): Promise<number> {
  const failed = (await tx.query(
    `select id, batch_index from videos where batch_id = $1 and status = 'failed' and batch_index is not null order by batch_index for update`,
    [batchId],
  )) as { id: string; batch_index: number }[];
  if (failed.length === 0) return 0;
  const oldIds = failed.map((f) => f.id);
  // The row numbers move to the new attempts (the unique (batch_id, batch_index) index holds one per row).
  await tx.query('update videos set batch_index = null where id = any($1)', [oldIds]);
  // A chained item starts over: its segments queued again (the failed attempt keeps, and was charged for, the ones it delivered).
  await tx.query(
    `insert into videos (id, status, attempts, batch_index, trace, post_production, segments, ${COPIED})
     select m.new_id, 'queued', 0, m.idx, $4::jsonb, v.post_production,
            (select jsonb_agg(s || '{"status":"queued","storage_key":null,"provenance":null,"completed_at":null}'::jsonb order by n) from jsonb_array_elements(v.segments) with ordinality as e(s, n)),
            ${COPIED.split(', ')
              .map((c) => `v.${c}`)
              .join(', ')}
       from unnest($1::text[], $2::text[], $3::int[]) as m(old_id, new_id, idx) join videos v on v.id = m.old_id`,
    // The retries continue the trace of the request that retried them.
    [oldIds, failed.map(() => newId('video')), failed.map((f) => f.batch_index), traceJson()],
  );
  return failed.length;
}

/** queued → canceled for every item of the batch; returns the ones already handed to the queue (they hold a reservation). */
export async function cancelQueuedBatchItems(tx: EntityManager, batchId: string): Promise<string[]> {
  const [rows] = (await tx.query(
    `update videos set status = 'canceled', completed_at = now(), updated_at = now() where batch_id = $1 and status = 'queued' returning id, dispatched_at`,
    [batchId],
  )) as [{ id: string; dispatched_at: Date | null }[], number];
  return rows.filter((r) => r.dispatched_at !== null).map((r) => r.id);
}

/** The current trace context as a jsonb parameter; null (SQL NULL) while tracing is off. */
function traceJson(): string | null {
  const carrier = traceCarrier();
  return carrier ? JSON.stringify(carrier) : null;
}
