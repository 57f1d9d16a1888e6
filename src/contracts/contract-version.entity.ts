import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Resolution } from '../core/video-format.js';
import type { LimitOverrides } from '../core/limits/effective-limits.js';

export interface TaxId {
  type: string;
  value: string;
}

/**
 * One version of a tenant's contract: its rate card and terms from `effective_from` until the next
 * version starts. Versions are never edited: a change is the next version (so every cost already
 * charged can still be explained by the version in force when it was charged).
 */
@Entity({ name: 'contract_versions' })
@Index(['tenantId', 'version'], { unique: true })
export class ContractVersion {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'effective_from', type: 'timestamptz' })
  effectiveFrom: Date;

  /** The plan the contract is written against (its limits apply where the contract says nothing). */
  @Column({ name: 'plan_code', type: 'text' })
  planCode: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** Monthly base fee, minor units. */
  @Column({ name: 'base_minor', type: 'int' })
  baseMinor: number;

  @Column({ name: 'included_video_seconds', type: 'int' })
  includedVideoSeconds: number;

  /** Per resolution: one video-second over the included seconds, minor units. */
  @Column({ name: 'overage_minor_per_second', type: 'jsonb' })
  overageMinorPerSecond: Record<Resolution, number>;

  /** Minimum spend per period (base + overage, before discount); what usage leaves unused is invoiced as a true-up. */
  @Column({ name: 'commitment_minor', type: 'int', default: 0 })
  commitmentMinor: number;

  /** Discount on the period's charges, basis points (1000 = 10 %). */
  @Column({ name: 'discount_bps', type: 'int', default: 0 })
  discountBps: number;

  @Column({ name: 'term_start', type: 'timestamptz' })
  termStart: Date;

  @Column({ name: 'term_end', type: 'timestamptz', nullable: true })
  termEnd: Date | null;

  @Column({ name: 'auto_renew', type: 'boolean', default: false })
  autoRenew: boolean;

  @Column({ name: 'po_number', type: 'text', nullable: true })
  poNumber: string | null;

  @Column({ name: 'tax_ids', type: 'jsonb', default: [] })
  taxIds: TaxId[];

  @Column({ name: 'billing_email', type: 'text', nullable: true })
  billingEmail: string | null;

  /** Limits beyond the plan's (the included seconds always come from the contract). */
  @Column({ type: 'jsonb', default: {} })
  limits: LimitOverrides;

  /** When the version's limits were written onto the tenant (null until it takes effect). */
  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
