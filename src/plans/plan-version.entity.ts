import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Resolution } from '../core/video-format.js';

/**
 * One price of a plan from an instant on. Prices never change in place (as Stripe's price objects):
 * a change is the next version with a later `effective_from`, and a subscriber grandfathered on an
 * earlier version keeps paying it until its renewal.
 */
@Entity({ name: 'plan_versions' })
@Index(['planCode', 'version'], { unique: true })
export class PlanVersion {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'plan_code', type: 'text' })
  planCode: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'effective_from', type: 'timestamptz' })
  effectiveFrom: Date;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** Monthly base price, minor units. */
  @Column({ name: 'base_minor', type: 'int' })
  baseMinor: number;

  /** Per resolution: one video-second over the included seconds, minor units. */
  @Column({ name: 'overage_minor_per_second', type: 'jsonb' })
  overageMinorPerSecond: Record<Resolution, number>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
