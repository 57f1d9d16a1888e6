import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One version of the buy-and-burn policy. Versions are never changed: finance adds a new one with
 * the date it takes effect, and the version in effect at a moment is the one whose
 * effective_from is the latest not after it. Version 1 is seeded from the TREASURY_* settings.
 */
@Entity({ name: 'treasury_burn_policies' })
export class BurnPolicy {
  @PrimaryColumn({ type: 'int' })
  version: number;

  /** Share of each revenue entry allocated to buy-and-burn, in basis points. */
  @Column({ name: 'share_bps', type: 'int' })
  shareBps: number;

  /** How often the worker runs the burn job; 0: only when asked (POST /v1/treasury/burns) and at start. */
  @Column({ name: 'burn_interval_ms', type: 'int' })
  burnIntervalMs: number;

  /** The limit price is the current price × (1 + this) in basis points. */
  @Column({ name: 'max_slippage_bps', type: 'int' })
  maxSlippageBps: number;

  /** No burn below this (never below the chain minimum plus the fee reserve). */
  @Column({ name: 'min_burn_rao', type: 'bigint' })
  minBurnRao: string;

  @Column({ name: 'effective_from', type: 'timestamptz' })
  effectiveFrom: Date;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
