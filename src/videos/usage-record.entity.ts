import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One row per billable video: the unique video id is what makes settlement happen exactly once. */
@Entity({ name: 'usage_records' })
@Index(['tenantId', 'createdAt'])
export class UsageRecord {
  @PrimaryColumn({ name: 'video_id', type: 'text' })
  videoId: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ name: 'video_seconds', type: 'int' })
  videoSeconds: number;

  @Column({ type: 'boolean' })
  livemode: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
