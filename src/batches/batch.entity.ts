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

@Entity({ name: 'batches' })
@Index(['tenantId', 'id'])
@Index(['status', 'id'])
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
