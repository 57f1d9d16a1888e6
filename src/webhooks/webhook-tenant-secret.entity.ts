import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The tenant's default signing secret of one mode, used for per-request `webhook_url` targets:
 * a test key reads and signs with the test one only, so it never learns what signs live deliveries.
 */
@Entity({ name: 'webhook_tenant_secrets' })
export class WebhookTenantSecret {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @PrimaryColumn({ type: 'boolean' })
  livemode: boolean;

  @Column({ name: 'secret_enc', type: 'text' })
  secretEnc: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
