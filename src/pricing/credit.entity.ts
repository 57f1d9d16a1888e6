import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type CreditSource = 'purchase' | 'grant';
export type CreditMovementKind = 'granted' | 'drawn';

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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** Every change of a tenant's credit: granted (+), drawn by a video (−). Append-only. */
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

  /** Signed: positive when credit is added, negative when drawn. */
  @Column({ name: 'amount_minor', type: 'int' })
  amountMinor: number;

  @Column({ name: 'video_id', type: 'text', nullable: true })
  videoId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
