import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

export const EVENT_TYPES = [
  'video.queued',
  'video.running',
  'video.succeeded',
  'video.segment_succeeded',
  'video.failed',
  'video.canceled',
  'video.expired',
  'batch.completed',
  'batch.failed',
  'batch.expired',
  'billing.threshold_reached',
  'video.deleted',
  'file.deleted',
  'model.changed',
  'video.delivered',
  'video.delivery_failed',
  'batch.manifest_delivered',
  'batch.manifest_delivery_failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What an event says about its object: thin on purpose (no presigned URLs that expire in a payload). */
export interface EventData {
  id: string;
  object: string;
  status: string;
  url: string;
  error?: { code: string };
  /** video.queued of a video waiting for a slot: its place (1 = next), when it is expected to start, and its deadline. */
  queue_position?: number;
  estimated_start_at?: string | null;
  start_by?: string;
  /** A batch's item counts when it finished. */
  request_counts?: Record<string, number>;
  /** billing.threshold_reached: which threshold, in which period, at what value (minor units or seconds). */
  alert?: { metric: string; threshold: number; hard_cap: boolean; period: string; value: number; currency: string };
  /** video.segment_succeeded: which segment of a chained video was delivered (0-based) and how many there are. */
  segment?: { index: number; count: number };
  /** Set on `*.deleted`: the object's stored content is gone. */
  deleted?: true;
  /** model.changed: the model that served "winner" videos before, and the one that serves them now. */
  previous?: { repo: string; digest: string } | null;
  current?: { repo: string; digest: string };
  /** video.delivered / video.delivery_failed: the copy to the customer's destination (never its credentials). */
  delivery?: { destination: string; status: string; key: string | null; attempts: number; last_error: string | null; delivered_at: string | null };
  /** batch.manifest_delivered / batch.manifest_delivery_failed: the write of the batch's manifest to its destination. */
  manifest_delivery?: { destination: string; status: string; key: string | null; attempts: number; last_error: string | null; delivered_at: string | null };
}

/** One thing that happened, written in the same transaction as the state change that caused it. */
@Entity({ name: 'events' })
@Index(['tenantId', 'id'])
@Index(['objectId', 'seq'])
@Index(['createdAt'])
export class EventRecord {
  @PrimaryColumn({ type: 'text' })
  id: string;

  /**
   * Database-assigned order. Ids are ULIDs from each process's clock, so events made by the api
   * and by a worker on another host can sort out of order; the SSE stream follows this instead.
   */
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq: string;

  /** Null: a platform event (model.changed), shown to every tenant and sent to every endpoint that subscribes to its type. */
  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId: string | null;

  @Column({ type: 'text' })
  type: EventType;

  @Column({ name: 'object_id', type: 'text' })
  objectId: string;

  @Column({ type: 'jsonb' })
  data: EventData;

  @Column({ type: 'boolean' })
  livemode: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
