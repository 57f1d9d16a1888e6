import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type KeyMode = 'live' | 'test';
/** `session`: the hidden key a member's browser sessions act through (people/); never listed, shown or presented as a bearer secret. */
export type KeyPurpose = 'api' | 'session';

@Entity({ name: 'api_keys' })
export class ApiKey {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Index()
  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  /** The id of the first key of the roll chain (its own id unless it was rolled from another): per-key budgets count per lineage. */
  @Index()
  @Column({ name: 'lineage_id', type: 'text' })
  lineageId: string;

  @Column({ type: 'text', default: '' })
  name: string;

  @Column({ type: 'text' })
  mode: KeyMode;

  /** Keyed SHA-256 (HMAC) of the whole secret, hex; the secret itself is never stored. */
  @Index({ unique: true })
  @Column({ name: 'secret_hash', type: 'text' })
  secretHash: string;

  /** The first characters of the secret, shown in lists so a user can tell keys apart. */
  @Column({ name: 'secret_start', type: 'text' })
  secretStart: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  scopes: string[];

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** Optional per-key caps inside the tenant's own limits; null means only the tenant's apply. */
  @Column({ name: 'rate_limit_per_minute', type: 'int', nullable: true })
  rateLimitPerMinute: number | null;

  @Column({ name: 'monthly_video_seconds', type: 'int', nullable: true })
  monthlyVideoSeconds: number | null;

  /** The dated API version this key is answered in (pinned at creation; a roll keeps it). Keys made before versions existed answer as the first one. */
  @Column({ name: 'api_version', type: 'text', default: '2026-06-01' })
  apiVersion: string;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ type: 'text', default: 'api' })
  purpose: KeyPurpose;

  /** The user who created the key through a session; the key stays the tenant's when they leave. Null for keys made by a key or an operator. */
  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
