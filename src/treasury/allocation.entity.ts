import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** The buy-and-burn share of one revenue entry; negative for refunds and lost disputes. */
@Entity({ name: 'treasury_allocations' })
@Index(['stripeInvoiceId'])
export class Allocation {
  @PrimaryColumn({ type: 'text' })
  id: string;

  /** One allocation per revenue entry, whoever runs the allocator and however often. */
  @Column({ name: 'revenue_entry_id', type: 'text', unique: true })
  revenueEntryId: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'stripe_invoice_id', type: 'text', nullable: true })
  stripeInvoiceId: string | null;

  @Column({ name: 'revenue_minor', type: 'bigint' })
  revenueMinor: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'share_bps', type: 'int' })
  shareBps: number;

  /** The burn policy version whose share was applied; null only for allocations made before policies were kept. */
  @Column({ name: 'policy_version', type: 'int', nullable: true })
  policyVersion: number | null;

  /** revenue × share, rounded toward zero so refunds never take back more than was allocated. */
  @Column({ name: 'amount_minor', type: 'bigint' })
  amountMinor: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
