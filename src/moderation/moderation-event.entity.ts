import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type ModerationSource = 'blocklist' | 'tenant_blocklist' | 'provider';

/** One refused submission: what was refused, for whom and why. Nothing was created or charged. */
@Entity({ name: 'moderation_events' })
@Index(['tenantId', 'id'])
export class ModerationEvent {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ name: 'api_key_id', type: 'text', nullable: true })
  apiKeyId: string | null;

  @Column({ type: 'text' })
  category: string;

  @Column({ type: 'text' })
  source: ModerationSource;

  /** The blocklist rule that matched; null for the provider. Shown to operators only. */
  @Column({ type: 'text', nullable: true })
  rule: string | null;

  /** The refused prompt (at most 2,000 characters by the API's own rule), so a refusal can be reviewed. */
  @Column({ type: 'text' })
  prompt: string;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
