import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type CreditSource = 'purchase' | 'grant';
/**
 * granted (+), drawn by a video (−), clawed_back (−) when the payment behind a purchase is refunded or
 * lost in a dispute, debt_settled (+ on the grant in debt, − on the new grant that pays it).
 */
export type CreditMovementKind = 'granted' | 'drawn' | 'clawed_back' | 'debt_settled';

/** Prepaid credit: bought through Checkout or granted by an operator; drawn oldest-expiring first. */
@Entity({ name: 'credit_grants' })
@Index(['tenantId', 'expiresAt'])
export class CreditGrant {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ type: 'text' })
  source: CreditSource;

  @Column({ name: 'amount_minor', type: 'int' })
  amountMinor: number;

  /** Negative when a purchase was clawed back after its credit was spent: a debt the next credit pays first. */
  @Column({ name: 'remaining_minor', type: 'int' })
  remainingMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** After this instant nothing more is drawn from the grant; null never expires. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  /** The Checkout session that paid for it: a session is credited once however often Stripe tells us. */
  @Index({ unique: true, where: 'stripe_checkout_session_id IS NOT NULL' })
  @Column({ name: 'stripe_checkout_session_id', type: 'text', nullable: true })
  stripeCheckoutSessionId: string | null;

  /** The PaymentIntent that paid for it: a refund or lost dispute of that payment claws the credit back. */
  @Index({ where: 'stripe_payment_intent_id IS NOT NULL' })
  @Column({ name: 'stripe_payment_intent_id', type: 'text', nullable: true })
  stripePaymentIntentId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** Every change of a tenant's credit (CreditMovementKind). Append-only. */
@Entity({ name: 'credit_movements' })
@Index(['tenantId', 'createdAt'])
export class CreditMovement {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ name: 'grant_id', type: 'text' })
  grantId: string;

  @Column({ type: 'text' })
  kind: CreditMovementKind;

  /** Signed: positive when credit is added, negative when drawn or clawed back. */
  @Column({ name: 'amount_minor', type: 'int' })
  amountMinor: number;

  @Column({ name: 'video_id', type: 'text', nullable: true })
  videoId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
