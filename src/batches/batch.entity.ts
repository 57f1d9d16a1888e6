import type { DeliveryTarget } from '../destinations/index.js';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** `expired`: it ended with items that had not started by its `complete_by` (they are `expired`, uncharged). */
export const BATCH_STATUSES = ['validating', 'in_progress', 'completed', 'failed', 'canceled', 'expired'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** One rejected input row: its 1-based row number, its custom_id when it had one, and why. */
export interface RejectedRow {
  row: number;
  custom_id: string | null;
  errors: { param: string; code: string; message: string }[];
}

/** Where the items came from. */
export interface BatchInput {
  source: 'inline' | 'upload' | 'file';
  format: 'json' | 'jsonl' | 'csv';
  filename: string | null;
  file_id: string | null;
  /** The image archive whose members the rows name (absent on batches made before archives). */
  images_file_id?: string | null;
}

/**
 * A batch of videos. Its items are `videos` rows (batch_id, batch_index); the counts below are
 * kept by a trigger on `videos` in the same statement as every status change, so they always sum
 * to `total` and cost nothing to read.
 */
/**
 * - `pinned_at_creation`: the king when the batch was created (the default), so a catalogue renders with one model;
 * - `pin`: the `repo@digest` the customer asked for;
 * - `winner`: each item renders with the king when it runs (asked for with `model: "winner"`, or no king could be pinned).
 */
export type BatchModel = { rule: 'winner'; repo: null; digest: null } | { rule: 'pin' | 'pinned_at_creation'; repo: string; digest: string };

/** Where the batch's manifest stands in its destination: written when the batch ends, retried like a video's files. */
export type ManifestDeliveryStatus = 'pending' | 'delivered' | 'failed';

@Entity({ name: 'batches' })
@Index(['tenantId', 'id'])
@Index(['status', 'id'])
@Index('IDX_batches_manifest_due', ['manifestNextAttemptAt'], { where: `"manifest_status" = 'pending'` })
export class Batch {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ name: 'api_key_id', type: 'text', nullable: true })
  apiKeyId: string | null;

  @Column({ type: 'boolean', default: true })
  livemode: boolean;

  @Column({ type: 'text' })
  status: BatchStatus;

  @Column({ type: 'int', default: 0 })
  total: number;

  @Column({ type: 'int', default: 0 })
  queued: number;

  @Column({ type: 'int', default: 0 })
  running: number;

  @Column({ type: 'int', default: 0 })
  succeeded: number;

  @Column({ type: 'int', default: 0 })
  failed: number;

  @Column({ type: 'int', default: 0 })
  canceled: number;

  @Column({ type: 'int', default: 0 })
  expired: number;

  /** Items not handed to the queue by then end `expired` (null on batches from before deadlines). */
  @Column({ name: 'complete_by', type: 'timestamptz', nullable: true })
  completeBy: Date | null;

  @Column({ type: 'jsonb', default: {} })
  metadata: Record<string, string>;

  /** The model its items render with; null on batches from before it was kept (they follow the king). */
  @Column({ type: 'jsonb', nullable: true })
  model: BatchModel | null;

  /** Where every item's files are copied when it succeeds; null: nowhere. */
  @Column({ name: 'delivery_target', type: 'jsonb', nullable: true })
  deliveryTarget: DeliveryTarget | null;

  /**
   * Where the API was reached when the batch was created (scheme and host, as the manifest a
   * client downloads uses): the origin of the links in the manifest written to its destination
   * when PUBLIC_BASE_URL is unset. Null on batches from before it was kept.
   */
  @Column({ name: 'api_origin', type: 'text', nullable: true })
  apiOrigin: string | null;

  /** Null until a batch with a destination ends; then the outbox state of its manifest's write there. */
  @Column({ name: 'manifest_status', type: 'text', nullable: true })
  manifestStatus: ManifestDeliveryStatus | null;

  /** The manifest's key in the destination, once the relay has worked it out. */
  @Column({ name: 'manifest_key', type: 'text', nullable: true })
  manifestKey: string | null;

  @Column({ name: 'manifest_attempts', type: 'int', default: 0 })
  manifestAttempts: number;

  @Column({ name: 'manifest_error', type: 'text', nullable: true })
  manifestError: string | null;

  /** When the relay may next try (a claim pushes it out by the lease, so a dead worker's claim lapses). */
  @Column({ name: 'manifest_next_attempt_at', type: 'timestamptz', nullable: true })
  manifestNextAttemptAt: Date | null;

  @Column({ name: 'manifest_delivered_at', type: 'timestamptz', nullable: true })
  manifestDeliveredAt: Date | null;

  @Column({ name: 'on_invalid', type: 'text' })
  onInvalid: 'reject' | 'skip';

  /** Rows left out with on_invalid "skip", in input order. */
  @Column({ name: 'rejected_rows', type: 'jsonb', default: [] })
  rejectedRows: RejectedRow[];

  @Column({ type: 'jsonb' })
  input: BatchInput;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'in_progress_at', type: 'timestamptz', nullable: true })
  inProgressAt: Date | null;

  /** When the last item finished (status completed or failed). */
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'canceled_at', type: 'timestamptz', nullable: true })
  canceledAt: Date | null;
}
