import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type EmailStatus = 'pending' | 'sent' | 'failed';

/**
 * A message written in the transaction that caused it (the outbox) and sent by the worker's relay.
 * Bodies are blanked once sent: they hold sign-in links, which must not outlive their delivery here.
 */
@Entity({ name: 'outbound_emails' })
@Index(['status', 'nextAttemptAt'])
export class OutboundEmail {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'to_address', type: 'text' })
  toAddress: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ name: 'text_body', type: 'text' })
  textBody: string;

  @Column({ name: 'html_body', type: 'text' })
  htmlBody: string;

  @Column({ type: 'text', default: 'pending' })
  status: EmailStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
