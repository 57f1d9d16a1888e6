import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, type ValueTransformer } from 'typeorm';
import type { AspectRatio, OutputResolution, Resolution } from '../core/video-format.js';
import type { PostStep } from '../model-capabilities/index.js';
import type { DeliveryTarget } from '../destinations/index.js';

/**
 * Seeds are uint32, which needs Postgres bigint; pg hands bigint back as a string (it may exceed
 * 2^53), but every seed fits a JS number exactly, so the entity holds the number it was given.
 */
const seedColumn: ValueTransformer = {
  to: (seed: number | null | undefined) => seed,
  from: (raw: string | null) => (raw === null ? null : Number(raw)),
};

export type VideoStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled' | 'expired';
export const TERMINAL_STATUSES: VideoStatus[] = ['succeeded', 'failed', 'canceled', 'expired'];

export interface VideoInputRef {
  source: 'url' | 'data_uri' | 'file' | 'upload';
  url?: string;
  file_id?: string;
  storage_key: string;
  content_type: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
}

export interface VideoOutputRef {
  storage_key: string;
  duration_seconds: number;
  width: number;
  height: number;
  fps: number;
  bytes: number;
  sha256: string;
  codec: string;
  /** The render before post-production (the stitched segments, before a crop or pad); absent when the render is the video. */
  raw_key?: string | null;
  /** What was done to the render to make this file, in order (`stitch`, `crop`, `pad`); absent or empty: nothing. */
  steps?: OutputStep[];
  /** The other ratios asked for in `outputs`, each its own file of the same render. */
  outputs?: ExtraOutputRef[];
  /** The first frame (JPEG) and the thumbnail (WebP); absent when extraction failed, which does not fail the video. */
  poster_key?: string | null;
  thumbnail_key?: string | null;
}

/**
 * One link of a chained video (a long video or a storyboard): its own GPU job, rendered from the
 * previous segment's last frame. Its raw render is kept beside the stitched file; the first one
 * is the video's preview as soon as it exists.
 */
export interface VideoSegment {
  prompt: string;
  /** The seconds it adds to the video, and is billed for. */
  duration_seconds: number;
  /** Frames the model renders for it (a later segment's first one repeats the previous segment's last, and stitching drops it). */
  frames: number;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  /** How it joins the previous segment: absent, a cut; `crossfade`, over the last frames of that one. */
  transition?: 'crossfade';
  storage_key: string | null;
  /** Which model and backend rendered it (set when delivered). */
  provenance: VideoProvenance | null;
  completed_at: string | null;
}

/**
 * What happens to a render before it is the video: the size the model renders (its nearest native
 * one) and the named steps that turn it into the asked-for frame, in order.
 */
export interface VideoPostProduction {
  /** The render's size and ratio; its rate and frames when an interpolation changes them (absent: the video's own). */
  render: { width: number; height: number; aspect_ratio: AspectRatio; resolution?: Resolution; fps?: number; frames?: number };
  steps: PostStep[];
  /** Video-seconds the priced steps add to the seconds billed (absent: none); see POST_PRODUCTION_STEPS. */
  billed_seconds?: number;
  /** More files of the same render in other ratios (`outputs` in the request), each with its own steps. */
  outputs?: { aspect_ratio: AspectRatio; width: number; height: number; steps: PostStep[] }[];
  /** The customer's sound track as checked and stored when the video was created (the `audio` step's input; never shown). */
  audio_input?: AudioInputRef;
}

/** Where a video's sound track is kept: the uploaded file's object, or our copy of what its URL gave. */
export interface AudioInputRef {
  source: 'file' | 'url';
  storage_key: string;
  content_type: string;
  bytes: number;
  sha256: string;
}

/** One more file of a video's render (`outputs` in the request). */
export interface ExtraOutputRef {
  aspect_ratio: AspectRatio;
  storage_key: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  steps: PostStep[];
}

/** A step as the output and its provenance list it: a post-production step, or the stitching of a chain's segments. */
export type OutputStep = PostStep | { name: 'stitch'; segments: number; transition?: 'cut' | 'crossfade'; crossfade_seconds?: number };

/** Which model, whose fine-tune and which GPU server made a video, and from the ranking at which block. */
export interface VideoProvenance {
  model: string;
  model_revision: string | null;
  miner_hotkey: string | null;
  miner_uid: number | null;
  /** Null when the ranking came from configuration rather than the chain. */
  ranking_block: number | null;
  backend_id: string;
  /**
   * The model the backend attests rendered the video (GPU contract); null: the backend named none
   * (a model-less backend, or a video from before backends attested).
   */
  attested_model?: { repo: string; digest: string } | null;
  /** Which rule picked the model: the king when it ran (`winner`), or the customer's pin (absent on videos from before pins). */
  model_rule?: 'winner' | 'pin';
  /** What our worker did to the model's render, in order (absent on videos from before post-production). */
  steps?: OutputStep[];
}

@Entity({ name: 'videos' })
@Index(['tenantId', 'id'])
@Index(['tenantId', 'status', 'id'])
// One video per row of a batch, or one per variant of a row with `n`.
@Index('IDX_videos_batch_row_variant', ['batchId', 'batchIndex', 'variantIndex'], { unique: true })
@Index(['batchId', 'id'])
// The batch scheduler's pick: items of a batch not yet handed to the queue, in input order.
@Index('IDX_videos_batch_undispatched', ['batchId', 'batchIndex'], { where: `"status" = 'queued' AND "dispatched_at" IS NULL AND "batch_id" IS NOT NULL` })
// And its count of a tenant's items handed over but not started.
@Index('IDX_videos_batch_handed_over', ['tenantId'], { where: `"status" = 'queued' AND "dispatched_at" IS NOT NULL AND "batch_id" IS NOT NULL` })
// The queue: a tenant's videos waiting for a slot (dispatcher, positions, cap), and the ones whose start_by passed (expiry).
@Index('IDX_videos_waiting', ['tenantId', 'livemode', 'id'], { where: `"status" = 'queued' AND "dispatched_at" IS NULL` })
// The queue's round-robin: a tenant's videos dispatched since its oldest waiting one was submitted.
@Index('IDX_videos_dispatched', ['tenantId', 'livemode', 'dispatchedAt'], { where: `"dispatched_at" IS NOT NULL` })
@Index('IDX_videos_start_by', ['startBy'], { where: `"status" = 'queued' AND "dispatched_at" IS NULL AND "start_by" IS NOT NULL` })
// The per-model demand gauge's count at every scrape: the open rows only, however many finished ones pile up.
@Index('IDX_videos_open', ['livemode', 'status'], { where: `"status" IN ('queued', 'running')` })
// What the retention sweep scans: rows that still hold content.
// A group's variants (`n` in the request), listed by `group_id`.
@Index('IDX_videos_group', ['tenantId', 'groupId'], { where: '"group_id" IS NOT NULL' })
@Index('IDX_videos_retention_due', ['createdAt'], { where: 'expired_at IS NULL AND deleted_at IS NULL' })
export class Video {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ name: 'api_key_id', type: 'text', nullable: true })
  apiKeyId: string | null;

  @Column({ type: 'boolean', default: true })
  livemode: boolean;

  @Column({ type: 'text' })
  status: VideoStatus;

  @Column({ type: 'text' })
  prompt: string;

  @Column({ name: 'duration_seconds', type: 'int' })
  durationSeconds: number;

  /** As asked; 1080p is rendered at 720p and upscaled, and priced at 720p (billedResolution). */
  @Column({ type: 'text' })
  resolution: OutputResolution;

  @Column({ name: 'aspect_ratio', type: 'text' })
  aspectRatio: AspectRatio;

  /** The frame size, rate and count the serving model was asked for, from its capabilities at creation. */
  @Column({ type: 'int' })
  width: number;

  @Column({ type: 'int' })
  height: number;

  @Column({ type: 'int' })
  fps: number;

  @Column({ type: 'int' })
  frames: number;

  @Column({ name: 'negative_prompt', type: 'text', nullable: true })
  negativePrompt: string | null;

  @Column({ type: 'bigint', nullable: true, transformer: seedColumn })
  seed: number | null;

  /** The plan's queue priority at creation (BullMQ: lower runs first), so a re-enqueue keeps it. Null on rows from before it was stored. */
  @Column({ name: 'queue_priority', type: 'int', nullable: true })
  queuePriority: number | null;

  @Column({ type: 'text', nullable: true })
  camera: string | null;

  @Column({ type: 'jsonb', default: {} })
  metadata: Record<string, string>;

  @Column({ type: 'jsonb' })
  input: VideoInputRef;

  @Column({ type: 'jsonb', nullable: true })
  output: VideoOutputRef | null;

  @Column({ type: 'jsonb', nullable: true })
  provenance: VideoProvenance | null;

  /** The model the customer pinned (`model: "<repo>@<digest>"`, or its batch's); null: whoever is king when it runs. */
  @Column({ name: 'model_pin', type: 'jsonb', nullable: true })
  modelPin: { repo: string; digest: string } | null;

  /** Null: the render is the video. Else the native render's size and the steps (crop, pad) that make the video's frame from it. */
  @Column({ name: 'post_production', type: 'jsonb', nullable: true })
  postProduction: VideoPostProduction | null;

  /** Null: one clip. Else the segments it is rendered and stitched from, with their progress. */
  @Column({ type: 'jsonb', nullable: true })
  segments: VideoSegment[] | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** The batch this video is an item of; null for a video created on its own. */
  @Column({ name: 'batch_id', type: 'text', nullable: true })
  batchId: string | null;

  /** The item's row in the batch's input (1-based), which orders the manifest. Null on a failed attempt that retry-failed replaced. */
  @Column({ name: 'batch_index', type: 'int', nullable: true })
  batchIndex: number | null;

  @Column({ name: 'custom_id', type: 'text', nullable: true })
  customId: string | null;

  /** Which variant of its batch row (0-based) a video is, when the row asked for `n`; 0 otherwise. */
  @Column({ name: 'variant_index', type: 'int', default: 0 })
  variantIndex: number;

  /** The variants made by one request with `n` share it (`vgr_…`); null for a video asked for on its own. */
  @Column({ name: 'group_id', type: 'text', nullable: true })
  groupId: string | null;

  /**
   * When the video was handed to the queue (with its concurrency slot reserved); null while it
   * waits for a slot: a batch item in its batch, a single video over the tenant's concurrency.
   */
  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt: Date | null;

  /** Where its files are copied when it succeeds (the request's or its batch's `destination`); null: nowhere. */
  @Column({ name: 'delivery_target', type: 'jsonb', nullable: true })
  deliveryTarget: DeliveryTarget | null;
  /** A waiting video not handed over by then ends `expired` (uncharged); null waits as long as it takes. */
  @Column({ name: 'start_by', type: 'timestamptz', nullable: true })
  startBy: Date | null;

  /** W3C trace context of the request that made it, which its job continues when it is enqueued later (the scheduler, the stale sweep); null while tracing is off. */
  @Column({ type: 'jsonb', nullable: true })
  trace: Record<string, string> | null;

  /** Per-request webhook target, signed with the tenant's default secret. */
  @Column({ name: 'webhook_url', type: 'text', nullable: true })
  webhookUrl: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** When retention removed its stored objects; the row (and its usage) stays, with `output` null. */
  @Column({ name: 'expired_at', type: 'timestamptz', nullable: true })
  expiredAt: Date | null;

  /** When the tenant (or an operator's erasure) deleted it: objects gone, the row kept for usage only and hidden from the API. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
