import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The Stripe ids a plan maps to, written only by `leoma billing sync-catalog`. */
@Entity({ name: 'billing_catalog' })
export class CatalogEntry {
  @PrimaryColumn({ name: 'plan_code', type: 'text' })
  planCode: string;

  @Column({ name: 'stripe_product_id', type: 'text' })
  stripeProductId: string;

  @Column({ name: 'base_price_id', type: 'text' })
  basePriceId: string;

  @Column({ name: 'metered_price_id', type: 'text' })
  meteredPriceId: string;

  @Column({ name: 'meter_id', type: 'text' })
  meterId: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'base_amount_minor', type: 'int' })
  baseAmountMinor: number;

  /** Price of one video-second beyond the plan's included seconds. */
  @Column({ name: 'overage_minor_per_second', type: 'int' })
  overageMinorPerSecond: number;

  /** Per dearer resolution: the flat metered price of its surcharge (pricing's `surcharges`). */
  @Column({ name: 'surcharge_price_ids', type: 'jsonb', default: {} })
  surchargePriceIds: Record<string, string>;

  @UpdateDateColumn({ name: 'synced_at', type: 'timestamptz' })
  syncedAt: Date;
}
