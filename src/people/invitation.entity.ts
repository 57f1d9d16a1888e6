import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { MemberRole } from './roles.js';

/** An emailed invitation into a tenant with a role: expires, single use, revocable. */
@Entity({ name: 'invitations' })
export class Invitation {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Index()
  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  role: MemberRole;

  @Index({ unique: true })
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  /** The user (or `key:<id>` for an API key) that invited. */
  @Column({ name: 'invited_by', type: 'text' })
  invitedBy: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
