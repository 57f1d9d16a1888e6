import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Grandfathering: a tenant kept on an earlier price version of its plan when a new one was
 * published, until `until` (its renewal; null: until moved explicitly), as a Stripe subscription
 * stays on the price object it was created with.
 */
@Entity({ name: 'plan_price_pins' })
export class PricePin {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ name: 'plan_code', type: 'text' })
  planCode: string;

  @Column({ name: 'plan_version', type: 'int' })
  planVersion: number;

  @Column({ type: 'timestamptz', nullable: true })
  until: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
