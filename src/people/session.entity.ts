import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A signed-in browser. Only hashes of its cookie and CSRF token are kept. It belongs to a user
 * (acting in `tenantId`) or to an operator; it ends at `idleExpiresAt` (moved forward as it is
 * used) or `absoluteExpiresAt` (never moved), whichever comes first, or when revoked.
 */
@Entity({ name: 'sessions' })
export class Session {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Index()
  @Column({ name: 'user_id', type: 'text', nullable: true })
  userId: string | null;

  @Index()
  @Column({ name: 'operator_id', type: 'text', nullable: true })
  operatorId: string | null;

  @Index()
  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId: string | null;

  @Index({ unique: true })
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  @Column({ name: 'csrf_hash', type: 'text' })
  csrfHash: string;

  /** How the session was opened: `email_link`, `sign_up`, `invitation`, `sso`, `claim`. */
  @Column({ type: 'text' })
  method: string;

  @Column({ name: 'user_agent', type: 'text', default: '' })
  userAgent: string;

  @Column({ type: 'text', default: '' })
  ip: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt: Date;

  @Column({ name: 'idle_expires_at', type: 'timestamptz' })
  idleExpiresAt: Date;

  @Column({ name: 'absolute_expires_at', type: 'timestamptz' })
  absoluteExpiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
