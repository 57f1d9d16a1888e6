import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const BURN_STATUSES = ['dry_run', 'planned', 'signed', 'submitted', 'in_block', 'finalized', 'failed', 'expired'] as const;
export type BurnStatus = (typeof BURN_STATUSES)[number];
/** A transaction exists for these and may still land: nothing new is signed until they resolve. */
export const UNRESOLVED: BurnStatus[] = ['signed', 'submitted', 'in_block'];
/** These hold their funds; failed, expired and dry-run burns hold none. */
export const COMMITTED: BurnStatus[] = ['planned', 'signed', 'submitted', 'in_block', 'finalized'];

export interface BurnVerification {
  ok: boolean;
  checked_at: string;
  block_hash: string;
  mismatches: { field: string; recorded: string | number | null; on_chain: string | number | null }[];
}

/**
 * One buy-and-burn, as a persisted state machine: planned → signed → submitted → in_block →
 * finalized, or failed / expired. The signed bytes, hash and nonce are written before sending,
 * so after a crash the chain can be searched for exactly this transaction.
 */
@Entity({ name: 'treasury_burns' })
@Index(['status'])
export class Burn {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  status: BurnStatus;

  /** 1, or 2 for the one retry after the first transaction expired. */
  @Column({ type: 'int', default: 1 })
  attempt: number;

  @Column({ name: 'retry_of', type: 'text', nullable: true })
  retryOf: string | null;

  @Column({ name: 'amount_rao', type: 'bigint' })
  amountRao: string;

  /** Allocated money this burn pays for, in minor units of `currency`: a burn draws on one currency's pool. */
  @Column({ name: 'covered_minor', type: 'bigint' })
  coveredMinor: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'int' })
  netuid: number;

  @Column({ type: 'text', nullable: true })
  hotkey: string | null;

  /** Who signed: the proxy account, or the coldkey itself when it signs directly (development). */
  @Column({ type: 'text', nullable: true })
  signer: string | null;

  /** The coldkey whose TAO is burned, when a proxy signs on its behalf (Proxy.proxy). */
  @Column({ type: 'text', nullable: true })
  coldkey: string | null;

  @Column({ name: 'price_rao', type: 'bigint', nullable: true })
  priceRao: string | null;

  @Column({ name: 'limit_price_rao', type: 'bigint', nullable: true })
  limitPriceRao: string | null;

  @Column({ name: 'expected_alpha', type: 'bigint', nullable: true })
  expectedAlpha: string | null;

  @Column({ name: 'spec_version', type: 'int', nullable: true })
  specVersion: number | null;

  @Column({ type: 'int', nullable: true })
  nonce: number | null;

  @Column({ name: 'extrinsic_hash', type: 'text', nullable: true })
  extrinsicHash: string | null;

  @Column({ name: 'signed_extrinsic', type: 'text', nullable: true })
  signedExtrinsic: string | null;

  @Column({ name: 'era_birth_block', type: 'bigint', nullable: true })
  eraBirthBlock: string | null;

  /** The first block at which the transaction can no longer be included. */
  @Column({ name: 'expires_at_block', type: 'bigint', nullable: true })
  expiresAtBlock: string | null;

  @Column({ name: 'memo_hash', type: 'text', nullable: true })
  memoHash: string | null;

  @Column({ name: 'block_number', type: 'bigint', nullable: true })
  blockNumber: string | null;

  @Column({ name: 'block_hash', type: 'text', nullable: true })
  blockHash: string | null;

  @Column({ name: 'extrinsic_index', type: 'int', nullable: true })
  extrinsicIndex: number | null;

  @Column({ name: 'tao_spent_rao', type: 'bigint', nullable: true })
  taoSpentRao: string | null;

  @Column({ name: 'alpha_bought', type: 'bigint', nullable: true })
  alphaBought: string | null;

  @Column({ name: 'alpha_burned', type: 'bigint', nullable: true })
  alphaBurned: string | null;

  @Column({ name: 'fee_rao', type: 'bigint', nullable: true })
  feeRao: string | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ type: 'jsonb', nullable: true })
  verification: BurnVerification | null;

  @Column({ name: 'finalized_at', type: 'timestamptz', nullable: true })
  finalizedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
