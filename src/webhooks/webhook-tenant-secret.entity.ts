import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The tenant's default signing secret, used for per-request `webhook_url` targets. */
@Entity({ name: 'webhook_tenant_secrets' })
export class WebhookTenantSecret {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ name: 'secret_enc', type: 'text' })
  secretEnc: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
