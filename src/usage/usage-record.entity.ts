import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One row per billable video: the unique video id is what makes settlement happen exactly once. */
@Entity({ name: 'usage_records' })
@Index(['tenantId', 'createdAt'])
@Index('IDX_usage_records_meter_unsent', ['createdAt'], { where: 'livemode AND meter_sent_at IS NULL' })
export class UsageRecord {
  @PrimaryColumn({ name: 'video_id', type: 'text' })
  videoId: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ name: 'video_seconds', type: 'int' })
  videoSeconds: number;

  @Column({ type: 'boolean' })
  livemode: boolean;

  /** The key that created the video, and its resolution: usage is grouped and exported by them. */
  @Column({ name: 'api_key_id', type: 'text', nullable: true })
  apiKeyId: string | null;

  @Column({ type: 'text' })
  resolution: string;

  // The cost, fixed when the video succeeded (pricing's costOf): a later price change never rewrites it.
  @Column({ name: 'amount_minor', type: 'int', default: 0 })
  amountMinor: number;

  @Column({ type: 'char', length: 3, default: 'usd' })
  currency: string;

  @Column({ name: 'included_seconds_used', type: 'int', default: 0 })
  includedSecondsUsed: number;

  @Column({ name: 'overage_seconds', type: 'int', default: 0 })
  overageSeconds: number;

  /** The per-second overage price the cost was computed with. */
  @Column({ name: 'unit_amount_minor', type: 'int', default: 0 })
  unitAmountMinor: number;

  /** The part of amount_minor paid from prepaid credits; Stripe is billed only for the rest. */
  @Column({ name: 'credits_applied_minor', type: 'int', default: 0 })
  creditsAppliedMinor: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  // The row is also the outbox of its Stripe meter event (billing's relay sends live rows once,
  // with the video id as the event identifier, and marks them here).
  @Column({ name: 'meter_sent_at', type: 'timestamptz', nullable: true })
  meterSentAt: Date | null;

  @Column({ name: 'meter_attempts', type: 'int', default: 0 })
  meterAttempts: number;

  @Column({ name: 'meter_next_attempt_at', type: 'timestamptz', nullable: true })
  meterNextAttemptAt: Date | null;

  @Column({ name: 'meter_last_error', type: 'text', nullable: true })
  meterLastError: string | null;

  // Each of the relay's steps is recorded when Stripe accepts it, so a retry sends only what is left:
  // a step resent after Stripe's 24-hour de-duplication window would be billed again.
  /** The seconds meter event (identifier = the video id). */
  @Column({ name: 'meter_event_sent_at', type: 'timestamptz', nullable: true })
  meterEventSentAt: Date | null;

  /** The overage at a dearer resolution on its surcharge meter (identifier `<video>_overage`); null when none is due. */
  @Column({ name: 'meter_surcharge_sent_at', type: 'timestamptz', nullable: true })
  meterSurchargeSentAt: Date | null;

  /** The credit drawn, as a customer balance credit; null when none was drawn. */
  @Column({ name: 'meter_credit_sent_at', type: 'timestamptz', nullable: true })
  meterCreditSentAt: Date | null;

  /** Set after METER_MAX_ATTEMPTS failed attempts: the relay stops and reconciliation names the row. */
  @Column({ name: 'meter_gave_up_at', type: 'timestamptz', nullable: true })
  meterGaveUpAt: Date | null;
}
