import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { MemberRole } from './roles.js';

/** A tenant's OpenID Connect provider: who may sign in through it, as what, and whether email links still work. */
@Entity({ name: 'sso_connections' })
export class SsoConnection {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ type: 'text' })
  issuer: string;

  @Column({ name: 'client_id', type: 'text' })
  clientId: string;

  /** AES-256-GCM (secret-seal.ts): we must send it back to the provider, so it cannot be a hash. */
  @Column({ name: 'client_secret_sealed', type: 'text' })
  clientSecretSealed: string;

  /** Lower-case email domains whose users may sign in here and join just in time. */
  @Column({ name: 'allowed_domains', type: 'text', array: true, default: () => "'{}'" })
  allowedDomains: string[];

  @Column({ name: 'default_role', type: 'text', default: 'viewer' })
  defaultRole: MemberRole;

  /** Email links stop working for this tenant: its sessions must come from SSO. */
  @Column({ name: 'sso_required', type: 'boolean', default: false })
  ssoRequired: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
