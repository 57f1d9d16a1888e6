import type { CommitmentRejection } from './model-commitment.js';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export interface RankedMiner {
  uid: number;
  hotkey: string;
  incentive: number;
  model: string;
  model_revision: string | null;
  /** The block the commitment was revealed at (absent in snapshots from before it was kept). */
  committed_block?: number | null;
}

export interface UnrankedMiner {
  uid: number;
  hotkey: string;
  incentive: number;
  reason: 'owner_uid' | 'no_commitment' | CommitmentRejection;
}

/** One read of the subnet: who ranked where, with which model, at which block. Videos point at it by block. */
@Entity({ name: 'miner_snapshots' })
@Index(['netuid', 'id'])
export class MinerSnapshot {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'int' })
  netuid: number;

  @Column({ name: 'block_number', type: 'bigint' })
  blockNumber: string;

  @Column({ name: 'block_hash', type: 'text' })
  blockHash: string;

  @Column({ type: 'int' })
  tempo: number;

  /** Best first. */
  @Column({ type: 'jsonb' })
  ranking: RankedMiner[];

  /** Miners with incentive that serve no model we can run, and why. */
  @Column({ type: 'jsonb' })
  unranked: UnrankedMiner[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
