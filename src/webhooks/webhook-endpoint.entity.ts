import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'webhook_endpoints' })
@Index(['tenantId', 'id'])
export class WebhookEndpoint {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ type: 'text' })
  url: string;

  /** Stripe's model: an endpoint belongs to the mode of the key that made it and receives only that mode's events. */
  @Column({ type: 'boolean', default: true })
  livemode: boolean;

  @Column({ type: 'text', default: '' })
  description: string;

  /** Event types delivered here; `*` means all. */
  @Column({ name: 'enabled_events', type: 'text', array: true })
  enabledEvents: string[];

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** Why we disabled it (410, continuous failure); null when the tenant did, or it is enabled. */
  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason: string | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  /** Start of the current run of failures; cleared by any success. */
  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  /** Encrypted with SecretBox; never leaves the server except once at creation/rotation. */
  @Column({ name: 'secret_enc', type: 'text' })
  secretEnc: string;

  @Column({ name: 'previous_secret_enc', type: 'text', nullable: true })
  previousSecretEnc: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null;

  @Column({ type: 'boolean', default: false })
  deleted: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
