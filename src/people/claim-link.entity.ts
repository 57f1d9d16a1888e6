import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { MemberRole } from './roles.js';

/**
 * Enterprise handover: a one-time link an operator makes for a tenant they provisioned, naming the
 * customer's first owner by email. Only its hash is kept; it expires, is revocable and works once.
 */
@Entity({ name: 'claim_links' })
export class ClaimLink {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Index()
  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text', default: 'owner' })
  role: MemberRole;

  @Index({ unique: true })
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  /** The operator who made it. */
  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  /** The user who accepted it. */
  @Column({ name: 'accepted_by', type: 'text', nullable: true })
  acceptedBy: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
