import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A tenant's own moderation terms (an enterprise contract may ask for stricter or custom ones). No row: the platform's defaults. */
@Entity({ name: 'tenant_moderation_settings' })
export class TenantModerationSettings {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  /** Checked in addition to the platform blocklist: category → terms and `re:` patterns. */
  @Column({ type: 'jsonb', default: {} })
  blocklist: Record<string, string[]>;

  /** Whether the external provider checks this tenant's prompts; null follows the platform (on when configured). */
  @Column({ name: 'provider_enabled', type: 'boolean', nullable: true })
  providerEnabled: boolean | null;

  /** Overrides MODERATION_FAIL_MODE for this tenant; null follows it. */
  @Column({ name: 'fail_mode', type: 'text', nullable: true })
  failMode: 'open' | 'closed' | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
