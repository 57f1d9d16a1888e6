import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Append-only: a trigger in the migration refuses UPDATE and DELETE. Each row's hash covers its
 * content and the previous row's hash in the same chain (one chain per tenant, `platform` for
 * changes that belong to no tenant), so an edit made behind the trigger's back shows.
 */
@Entity({ name: 'audit_log' })
@Index(['chain', 'seq'], { unique: true })
@Index(['tenantId', 'id'])
export class AuditEntry {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  chain: string;

  @Column({ type: 'int' })
  seq: number;

  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId: string | null;

  @Column({ name: 'actor_type', type: 'text' })
  actorType: 'operator' | 'tenant' | 'user' | 'system';

  @Column({ name: 'actor_id', type: 'text' })
  actorId: string;

  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'target_type', type: 'text' })
  targetType: string;

  @Column({ name: 'target_id', type: 'text' })
  targetId: string;

  @Column({ type: 'jsonb', nullable: true })
  before: Record<string, any> | null;

  @Column({ type: 'jsonb', nullable: true })
  after: Record<string, any> | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash: string;

  @Column({ type: 'text' })
  hash: string;

  /** Set by the app, not the database: it is part of the hashed content. */
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
