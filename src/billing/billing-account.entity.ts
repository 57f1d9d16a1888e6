import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Resolution } from '../core/video-format.js';

/** The Stripe ids a contract version was built into. */
export interface ContractPrices {
  product: string;
  base: string;
  seconds: string;
  surcharges: Partial<Record<Resolution, string>>;
  coupon: string | null;
}

/**
 * A tenant's side in Stripe: its customer and subscription as Stripe last told us (always
 * re-fetched, never taken from an event body), and where it stands in dunning.
 */
@Entity({ name: 'billing_accounts' })
export class BillingAccount {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Index({ unique: true })
  @Column({ name: 'stripe_customer_id', type: 'text' })
  stripeCustomerId: string;

  @Index()
  @Column({ name: 'stripe_subscription_id', type: 'text', nullable: true })
  stripeSubscriptionId: string | null;

  /** Stripe's subscription status (active, past_due, canceled, …); null before the first subscription. */
  @Column({ name: 'subscription_status', type: 'text', nullable: true })
  subscriptionStatus: string | null;

  /** The plan the subscription's prices belong to. */
  @Column({ name: 'subscribed_plan', type: 'text', nullable: true })
  subscribedPlan: string | null;

  @Column({ name: 'current_period_start', type: 'timestamptz', nullable: true })
  currentPeriodStart: Date | null;

  @Column({ name: 'current_period_end', type: 'timestamptz', nullable: true })
  currentPeriodEnd: Date | null;

  /** Set by the first failed payment, cleared when an invoice is paid; the grace runs from here. */
  @Column({ name: 'past_due_since', type: 'timestamptz', nullable: true })
  pastDueSince: Date | null;

  /** True while the tenant is suspended because of non-payment (so paying resumes only that suspension). */
  @Column({ name: 'suspended_for_nonpayment', type: 'boolean', default: false })
  suspendedForNonpayment: boolean;

  /** The one Checkout session left open for this tenant, and the plan it sells (a second checkout reuses or expires it). */
  @Column({ name: 'open_checkout_session_id', type: 'text', nullable: true })
  openCheckoutSessionId: string | null;

  @Column({ name: 'open_checkout_plan', type: 'text', nullable: true })
  openCheckoutPlan: string | null;

  /**
   * The unsold plan (free) an operator moved the tenant to, for which the subscription was set to
   * cancel at period end; null otherwise (a cancellation the customer scheduled is theirs).
   */
  @Column({ name: 'ending_for_plan', type: 'text', nullable: true })
  endingForPlan: string | null;

  /** The tenant's contract version its subscription's prices were built from (null: none applied yet). */
  @Column({ name: 'contract_version_synced', type: 'int', nullable: true })
  contractVersionSynced: number | null;

  /** The Stripe product, prices and coupon of that version. */
  @Column({ name: 'contract_prices', type: 'jsonb', nullable: true })
  contractPrices: ContractPrices | null;

  /** Failed attempts at applying the contract version in force, the last error, and when to try again. */
  @Column({ name: 'contract_sync_attempts', type: 'int', default: 0 })
  contractSyncAttempts: number;

  @Column({ name: 'contract_sync_error', type: 'text', nullable: true })
  contractSyncError: string | null;

  @Column({ name: 'contract_sync_next_at', type: 'timestamptz', nullable: true })
  contractSyncNextAt: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
