import { Column, CreateDateColumn, Entity, PrimaryColumn, Unique } from 'typeorm';

export type RevenueKind = 'invoice_paid' | 'credit_purchase' | 'refund' | 'dispute_lost';

/**
 * The revenue ledger: one row per money movement Stripe reports (a paid invoice, prepaid credit
 * bought through Checkout, a refund, a lost dispute). Append-only; the treasury allocates from it in id order. The unique (kind, Stripe
 * object) pair is what makes a redelivered webhook harmless.
 */
@Entity({ name: 'revenue_entries' })
@Unique('UQ_revenue_entries_kind_object', ['kind', 'stripeObjectId'])
export class RevenueEntry {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ type: 'text' })
  kind: RevenueKind;

  /** Signed minor units: negative for refunds and lost disputes. bigint comes back from pg as a string. */
  @Column({ name: 'amount_minor', type: 'bigint' })
  amountMinor: string;

  /** Lowercase ISO 4217, as Stripe writes it. */
  @Column({ type: 'char', length: 3 })
  currency: string;

  /** Invoice id for invoice_paid, Checkout session id for credit_purchase, refund id for refund, dispute id for dispute_lost. */
  @Column({ name: 'stripe_object_id', type: 'text' })
  stripeObjectId: string;

  @Column({ name: 'stripe_invoice_id', type: 'text', nullable: true })
  stripeInvoiceId: string | null;

  @Column({ name: 'period_start', type: 'timestamptz', nullable: true })
  periodStart: Date | null;

  @Column({ name: 'period_end', type: 'timestamptz', nullable: true })
  periodEnd: Date | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
