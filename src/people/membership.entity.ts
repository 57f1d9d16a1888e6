import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { MemberRole } from './roles.js';

/**
 * A user's place in a tenant and the role that decides what they may do there. A session acts
 * through the membership's own session keys (one per mode): hidden api_keys rows whose scopes are
 * the role's, so a session reaches the very permission checks, quotas and records a key does.
 */
@Entity({ name: 'memberships' })
@Unique(['tenantId', 'userId'])
export class Membership {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Index()
  @Column({ name: 'user_id', type: 'text' })
  userId: string;

  @Column({ type: 'text' })
  role: MemberRole;

  @Column({ name: 'live_key_id', type: 'text' })
  liveKeyId: string;

  @Column({ name: 'test_key_id', type: 'text' })
  testKeyId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
