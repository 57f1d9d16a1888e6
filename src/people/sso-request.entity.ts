import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One SSO sign-in in flight: the PKCE verifier and nonce we must check the answer against, found by
 * the hash of its `state`, bound to the browser that started it, single use and short-lived.
 */
@Entity({ name: 'sso_requests' })
export class SsoRequest {
  @PrimaryColumn({ type: 'text' })
  id: string;

  /** Null: a staff sign-on through the operator organisation's provider. */
  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId: string | null;

  @Index({ unique: true })
  @Column({ name: 'state_hash', type: 'text' })
  stateHash: string;

  @Column({ type: 'text' })
  nonce: string;

  @Column({ name: 'code_verifier', type: 'text' })
  codeVerifier: string;

  @Column({ name: 'browser_hash', type: 'text' })
  browserHash: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
