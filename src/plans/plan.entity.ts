import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A price tier's limits, kept as rows so sales can add and change tiers without a deploy (its prices are `plan_versions`). */
@Entity({ name: 'plans' })
export class Plan {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'included_video_seconds', type: 'int' })
  includedVideoSeconds: number;

  /** When true, usage beyond the included seconds is billed instead of refused. */
  @Column({ name: 'overage_allowed', type: 'boolean' })
  overageAllowed: boolean;

  @Column({ name: 'requests_per_minute', type: 'int' })
  requestsPerMinute: number;

  @Column({ name: 'concurrent_videos', type: 'int' })
  concurrentVideos: number;

  @Column({ name: 'max_duration_seconds', type: 'int' })
  maxDurationSeconds: number;

  @Column({ name: 'max_resolution', type: 'text' })
  maxResolution: string;

  @Column({ name: 'max_batch_size', type: 'int' })
  maxBatchSize: number;

  @Column({ name: 'retention_days', type: 'int' })
  retentionDays: number;

  /** Whether customers may buy it themselves through Checkout (else the account team sells it). */
  @Column({ name: 'self_serve', type: 'boolean', default: false })
  selfServe: boolean;

  /** BullMQ priority: lower runs first. */
  @Column({ name: 'queue_priority', type: 'int' })
  queuePriority: number;

  /** Files uploaded (POST /v1/files and presigned uploads) in any 24 hours: bounds what a tenant makes us store. */
  @Column({ name: 'uploads_per_day', type: 'int', default: 1000 })
  uploadsPerDay: number;

  /** Files uploaded in a calendar month (UTC). */
  @Column({ name: 'uploads_per_month', type: 'int', default: 20000 })
  uploadsPerMonth: number;

  /** The longest a video over the concurrency limit waits for a slot (its default `start_by`; a request may ask for less). */
  @Column({ name: 'max_queue_seconds', type: 'int', default: 3600 })
  maxQueueSeconds: number;

  /** Single videos waiting for a slot at once; one more is refused with 429 `queue_full`. */
  @Column({ name: 'max_queued_videos', type: 'int', default: 1000 })
  maxQueuedVideos: number;

  /** A batch's default `complete_by`, this long after it is created. */
  @Column({ name: 'batch_complete_seconds', type: 'int', default: 604800 })
  batchCompleteSeconds: number;

  /** A retired plan is no longer sold or assigned; only a plan no tenant uses can be retired. */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}
