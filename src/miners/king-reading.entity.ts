import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Challenger, DashboardKing } from './dashboard-reading.js';

/** A king as one source gave it; the chain knows no reign or coronation, so those are null there. */
export type KingRecord = Omit<DashboardKing, 'reign_number' | 'crowned_at' | 'crowned_block'> & {
  reign_number: number | null;
  crowned_at: string | null;
  crowned_block: number | null;
};

export type KingSource = 'dashboard' | 'consensus' | 'chain';

/**
 * - dashboard: `answered` (with its king) or `refused` (reason, detail);
 * - consensus: the round's verdict over the dashboards: `agreed` (a majority of those that
 *   answered name the same repo@digest), `no_majority` or `none_answered` (the king stays as it was);
 * - chain: `derived` from incentive and reveals when no dashboard is configured.
 */
export type KingOutcome = 'answered' | 'refused' | 'agreed' | 'no_majority' | 'none_answered' | 'derived';

/** Why a dashboard was refused (also the metric's outcome label). */
export type DashboardRefusal = 'timeout' | 'too_large' | 'private_address' | 'invalid_url' | 'unreachable' | 'bad_shape';

/** Every reading of who is king: each dashboard fetched, each round's verdict, each chain derivation. */
@Entity({ name: 'king_readings' })
@Index(['source', 'id'])
// /v1/models lists the latest round's readings.
@Index('IDX_king_readings_round', ['roundId'])
export class KingReading {
  @PrimaryColumn({ type: 'text' })
  id: string;

  /** The dashboards of one pass and its verdict share it. */
  @Column({ name: 'round_id', type: 'text' })
  roundId: string;

  @Column({ type: 'text' })
  source: KingSource;

  /** The dashboard URL (query and credentials cut off); null for verdicts and the chain. */
  @Column({ type: 'text', nullable: true })
  url: string | null;

  @Column({ type: 'text' })
  outcome: KingOutcome;

  @Column({ type: 'text', nullable: true })
  reason: DashboardRefusal | null;

  @Column({ type: 'text', nullable: true })
  detail: string | null;

  @Column({ type: 'jsonb', nullable: true })
  king: KingRecord | null;

  /** The challengers being judged now (dashboards), or the king's own newer reveal (chain). */
  @Column({ name: 'live_duels', type: 'jsonb', nullable: true })
  liveDuels: Challenger[] | null;

  /** The crowned block (dashboards) or the block read (chain). */
  @Column({ name: 'block_number', type: 'bigint', nullable: true })
  blockNumber: string | null;

  /** The chain could not single out the king (incentive ties at the top), or the dashboards did not agree. */
  @Column({ type: 'boolean', default: false })
  ambiguous: boolean;

  /** Verdicts: how many dashboards answered, and how many of them named the king. */
  @Column({ type: 'int', nullable: true })
  answered: number | null;

  @Column({ type: 'int', nullable: true })
  agreeing: number | null;

  @Column({ name: 'fetched_at', type: 'timestamptz' })
  fetchedAt: Date;
}
