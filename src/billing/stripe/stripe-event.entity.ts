import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type StripeEventOutcome = 'applied' | 'ignored' | 'unmatched';

/** Every Stripe event we accepted, by Stripe's id: a redelivery finds its row and is ignored. */
@Entity({ name: 'stripe_events' })
export class StripeEventRecord {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  type: string;

  /** The id of the object the event is about; handlers re-fetch it instead of trusting the body. */
  @Column({ name: 'object_id', type: 'text', nullable: true })
  objectId: string | null;

  @Column({ type: 'boolean' })
  livemode: boolean;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  /**
   * How processing ended: applied (state converged on Stripe's), ignored (a type we do not handle)
   * or unmatched (about a customer or subscription no tenant owns). Null until processed.
   */
  @Column({ type: 'text', nullable: true })
  outcome: StripeEventOutcome | null;

  /** Why an event was ignored or unmatched, for the operator who looks. */
  @Column({ name: 'outcome_reason', type: 'text', nullable: true })
  outcomeReason: string | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}
