import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { LimitOverrides } from '../core/limits/effective-limits.js';

export type TenantStatus = 'active' | 'suspended';
export type BillingMode = 'self_serve' | 'invoice';

@Entity({ name: 'tenants' })
export class Tenant {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: 'active' })
  status: TenantStatus;

  /** Code of a row in `plans`. */
  @Column({ type: 'text', default: 'free' })
  plan: string;

  /** Contract terms that replace the plan's limits field by field (enterprise deals). */
  @Column({ name: 'limit_overrides', type: 'jsonb', default: {} })
  limitOverrides: LimitOverrides;

  @Column({ name: 'billing_mode', type: 'text', default: 'self_serve' })
  billingMode: BillingMode;

  /** Payment terms of invoice billing (net 30 etc.); null for self-serve. */
  @Column({ name: 'net_days', type: 'int', nullable: true })
  netDays: number | null;

  @Column({ type: 'jsonb', default: {} })
  metadata: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
