import type { Video, VideoStatus } from './video.entity.js';
import type { AspectRatio, OutputResolution } from '../core/video-format.js';

/** Every column of videos, for reads that skip TypeORM (videos.service.ts); videoFromRow and videoFromValues (by position: keep the order) map them like the entity does. */
export const VIDEO_COLUMNS = `id, tenant_id, api_key_id, livemode, status, prompt, duration_seconds, resolution, aspect_ratio, width, height, fps, frames,
  negative_prompt, seed, queue_priority, camera, metadata, input, output, provenance, model_pin, segments, post_production, error_code, error_message, attempts, batch_id, batch_index, custom_id, variant_index, group_id, dispatched_at, delivery_target, start_by, trace, webhook_url, expired_at, deleted_at,
  created_at, updated_at, started_at, completed_at`;

export interface VideoRow {
  id: string;
  tenant_id: string;
  api_key_id: string | null;
  livemode: boolean;
  status: VideoStatus;
  prompt: string;
  duration_seconds: number;
  resolution: OutputResolution;
  aspect_ratio: AspectRatio;
  width: number;
  height: number;
  fps: number;
  frames: number;
  negative_prompt: string | null;
  seed: string | null;
  queue_priority: number | null;
  camera: string | null;
  metadata: Video['metadata'];
  input: Video['input'];
  output: Video['output'];
  provenance: Video['provenance'];
  model_pin: Video['modelPin'];
  segments: Video['segments'];
  post_production: Video['postProduction'];
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  batch_id: string | null;
  batch_index: number | null;
  variant_index: number;
  custom_id: string | null;
  group_id: string | null;
  dispatched_at: Date | null;
  delivery_target: Video['deliveryTarget'];
  start_by: Date | null;
  trace: Video['trace'];
  webhook_url: string | null;
  expired_at: Date | null;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
}

/** A row of VIDEO_COLUMNS as an array (poolValues), in their order. */
export type VideoValues = [
  id: string,
  tenant_id: string,
  api_key_id: string | null,
  livemode: boolean,
  status: VideoStatus,
  prompt: string,
  duration_seconds: number,
  resolution: OutputResolution,
  aspect_ratio: AspectRatio,
  width: number,
  height: number,
  fps: number,
  frames: number,
  negative_prompt: string | null,
  seed: string | null,
  queue_priority: number | null,
  camera: string | null,
  metadata: Video['metadata'],
  input: Video['input'],
  output: Video['output'],
  provenance: Video['provenance'],
  model_pin: Video['modelPin'],
  segments: Video['segments'],
  post_production: Video['postProduction'],
  error_code: string | null,
  error_message: string | null,
  attempts: number,
  batch_id: string | null,
  batch_index: number | null,
  custom_id: string | null,
  variant_index: number,
  group_id: string | null,
  dispatched_at: Date | null,
  delivery_target: Video['deliveryTarget'],
  start_by: Date | null,
  trace: Video['trace'],
  webhook_url: string | null,
  expired_at: Date | null,
  deleted_at: Date | null,
  created_at: Date,
  updated_at: Date,
  started_at: Date | null,
  completed_at: Date | null,
];

/** videoFromRow for a row read as an array (the poll and the list; test/videos/video-reads.e2e.test.ts holds them to TypeORM). */
export function videoFromValues(r: unknown[]): Video {
  const v = r as VideoValues;
  return {
    id: v[0],
    tenantId: v[1],
    apiKeyId: v[2],
    livemode: v[3],
    status: v[4],
    prompt: v[5],
    durationSeconds: v[6],
    resolution: v[7],
    aspectRatio: v[8],
    width: v[9],
    height: v[10],
    fps: v[11],
    frames: v[12],
    negativePrompt: v[13],
    seed: v[14] === null ? null : Number(v[14]),
    queuePriority: v[15],
    camera: v[16],
    metadata: v[17],
    input: v[18],
    output: v[19],
    provenance: v[20],
    modelPin: v[21],
    segments: v[22],
    postProduction: v[23],
    errorCode: v[24],
    errorMessage: v[25],
    attempts: v[26],
    batchId: v[27],
    batchIndex: v[28],
    customId: v[29],
    variantIndex: v[30],
    groupId: v[31],
    dispatchedAt: v[32],
    deliveryTarget: v[33],
    startBy: v[34],
    trace: v[35],
    webhookUrl: v[36],
    expiredAt: v[37],
    deletedAt: v[38],
    createdAt: v[39],
    updatedAt: v[40],
    startedAt: v[41],
    completedAt: v[42],
  } satisfies Record<keyof Video, unknown>;
}

/**
 * The entity TypeORM would hydrate from the row (test/videos/video-reads.e2e.test.ts holds the two
 * together), as a plain object: nothing saves these back, and filling a `new Video()` whose fields
 * the class already defined was a tenth of a 100-row list's CPU time.
 */
export function videoFromRow(r: VideoRow): Video {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    apiKeyId: r.api_key_id,
    livemode: r.livemode,
    status: r.status,
    prompt: r.prompt,
    durationSeconds: r.duration_seconds,
    resolution: r.resolution,
    aspectRatio: r.aspect_ratio,
    width: r.width,
    height: r.height,
    fps: r.fps,
    frames: r.frames,
    negativePrompt: r.negative_prompt,
    // bigint arrives as a string; every seed is a uint32 (see the entity's seed transformer).
    seed: r.seed === null ? null : Number(r.seed),
    queuePriority: r.queue_priority,
    camera: r.camera,
    metadata: r.metadata,
    input: r.input,
    output: r.output,
    provenance: r.provenance,
    modelPin: r.model_pin,
    segments: r.segments,
    postProduction: r.post_production,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    attempts: r.attempts,
    batchId: r.batch_id,
    batchIndex: r.batch_index,
    variantIndex: r.variant_index,
    customId: r.custom_id,
    groupId: r.group_id,
    dispatchedAt: r.dispatched_at,
    deliveryTarget: r.delivery_target,
    startBy: r.start_by,
    trace: r.trace,
    webhookUrl: r.webhook_url,
    expiredAt: r.expired_at,
    deletedAt: r.deleted_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    startedAt: r.started_at,
    completedAt: r.completed_at,
  } satisfies Record<keyof Video, unknown>;
}

/** Each field's column, for writing a new video. */
const COLUMN_OF: { [K in keyof Video]: string } = {
  id: 'id',
  tenantId: 'tenant_id',
  apiKeyId: 'api_key_id',
  livemode: 'livemode',
  status: 'status',
  prompt: 'prompt',
  durationSeconds: 'duration_seconds',
  resolution: 'resolution',
  aspectRatio: 'aspect_ratio',
  width: 'width',
  height: 'height',
  fps: 'fps',
  frames: 'frames',
  negativePrompt: 'negative_prompt',
  seed: 'seed',
  queuePriority: 'queue_priority',
  camera: 'camera',
  metadata: 'metadata',
  input: 'input',
  output: 'output',
  provenance: 'provenance',
  modelPin: 'model_pin',
  segments: 'segments',
  postProduction: 'post_production',
  errorCode: 'error_code',
  errorMessage: 'error_message',
  attempts: 'attempts',
  batchId: 'batch_id',
  batchIndex: 'batch_index',
  customId: 'custom_id',
  variantIndex: 'variant_index',
  groupId: 'group_id',
  dispatchedAt: 'dispatched_at',
  deliveryTarget: 'delivery_target',
  startBy: 'start_by',
  trace: 'trace',
  webhookUrl: 'webhook_url',
  startedAt: 'started_at',
  completedAt: 'completed_at',
  expiredAt: 'expired_at',
  deletedAt: 'deleted_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};
const FIELDS = Object.keys(COLUMN_OF) as (keyof typeof COLUMN_OF)[];
const JSONB = new Set<string>(['metadata', 'input', 'output', 'provenance', 'modelPin', 'segments', 'postProduction', 'deliveryTarget', 'trace']);

/**
 * One new video as a plain INSERT: what TypeORM's insert wrote, without its query builder (the
 * largest single part of a submit's CPU). A field left undefined gets its column's default, as
 * with TypeORM. Returns the columns the database fills, named for EventOutbox.recordWith;
 * withInserted puts them on the video.
 */
export function videoInsert(v: Partial<Video>): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const placeholders = FIELDS.map((f) => {
    const value = v[f];
    if (value === undefined) return 'default';
    // JSON text: pg would send an array as a PostgreSQL array literal.
    if (JSONB.has(f)) return `$${values.push(value === null ? null : JSON.stringify(value))}::jsonb`;
    return `$${values.push(value)}`;
  });
  return {
    sql: `insert into videos (${FIELDS.map((f) => COLUMN_OF[f]).join(', ')}) values (${placeholders.join(', ')})
      returning created_at as changed_created_at, updated_at as changed_updated_at, variant_index as changed_variant_index`,
    values,
  };
}

/** The video as committed: videoInsert's returned defaults filled in. */
export function withInserted(v: Video, changed: Record<string, unknown>): void {
  v.createdAt = changed.changed_created_at as Date;
  v.updatedAt = changed.changed_updated_at as Date;
  v.variantIndex ??= changed.changed_variant_index as number;
}
