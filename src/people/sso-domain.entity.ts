import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * An email domain a tenant claims for single sign-on, and the proof that it owns it: the TXT record
 * `leoma-verification=<token>` at the domain. Until `verifiedAt` is set, users of the domain do not
 * join the tenant just in time, nor does the domain send an address's sign-on to the tenant.
 */
@Entity({ name: 'sso_domains' })
export class SsoDomain {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  /** Lower-case. */
  @PrimaryColumn({ type: 'text' })
  domain: string;

  /** Not a secret: it is published in DNS. Random, so only this tenant's record proves this tenant's claim. */
  @Column({ type: 'text' })
  token: string;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  @Column({ name: 'checked_at', type: 'timestamptz', nullable: true })
  checkedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
