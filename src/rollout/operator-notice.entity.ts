import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export interface OperatorNoticeData {
  action: 'deploy' | 'remove';
  repo: string;
  digest: string;
  /** The actuator configured: with `manual` the operators do the deploying and removing. */
  actuator: 'manual' | 'kubernetes';
  replicas: number;
  reason: string;
}

/**
 * The outbox of what operators are told (OPERATOR_WEBHOOK_URL): written in the rollout step's
 * transaction, POSTed by the relay until it is accepted. Without a URL the rows stay as the record.
 */
@Entity({ name: 'operator_notices' })
@Index('IDX_operator_notices_due', ['nextAttemptAt'], { where: 'delivered_at IS NULL' })
export class OperatorNotice {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'jsonb' })
  data: OperatorNoticeData;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
