import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type IdempotencyState = 'in_progress' | 'completed';

@Entity({ name: 'idempotency_keys' })
@Index(['createdAt'])
export class IdempotencyKey {
  /**
   * The namespace the key belongs to: `tenant:<id>:live|test` or `operator:<id>`, so keys never
   * collide across tenants, across a tenant's live and test keys, or across operators.
   */
  @PrimaryColumn({ type: 'text' })
  owner: string;

  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ name: 'request_hash', type: 'text' })
  requestHash: string;

  @Column({ type: 'text' })
  method: string;

  @Column({ type: 'text' })
  path: string;

  @Column({ type: 'text' })
  state: IdempotencyState;

  /** While `in_progress`: the request's heartbeat renews this; past it, a retry takes the key over. */
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'response_status', type: 'int', nullable: true })
  responseStatus: number | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
