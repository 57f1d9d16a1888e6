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
}
