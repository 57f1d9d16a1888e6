import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * TAO that reached the treasury coldkey, bought with allocated fiat off-chain. The TAO side is the
 * chain's: a Balances.Transfer into the coldkey, named by block number and extrinsic index and read
 * from a finalized block. The fiat side is finance's: amount, currency, rate and where the rate came from.
 */
@Entity({ name: 'treasury_fundings' })
@Index('UQ_treasury_fundings_transfer', ['transferBlockNumber', 'transferExtrinsicIndex'], { unique: true })
export class Funding {
  @PrimaryColumn({ type: 'text' })
  id: string;

  /** What the transfer moved into the coldkey, as the chain's Balances.Transfer events say. */
  @Column({ name: 'amount_rao', type: 'bigint' })
  amountRao: string;

  /** What the TAO cost, in minor units of `currency`. */
  @Column({ name: 'fiat_minor', type: 'bigint' })
  fiatMinor: string;

  /** ISO 4217, lower case; the allocations this funding pays for are in the same currency. */
  @Column({ type: 'char', length: 3 })
  currency: string;

  /** `currency` per TAO (decimal text); the amounts above are authoritative. */
  @Column({ type: 'text' })
  rate: string;

  /** Where the rate was read (exchange fill, price feed). */
  @Column({ name: 'rate_source', type: 'text' })
  rateSource: string;

  @Column({ name: 'rate_read_at', type: 'timestamptz' })
  rateReadAt: Date;

  /** Where the TAO came from (exchange, OTC desk, …). */
  @Column({ type: 'text' })
  source: string;

  /** Finance's reference for the fiat side (the exchange's or bank's id); one funding per reference. */
  @Column({ name: 'external_reference', type: 'text', unique: true })
  externalReference: string;

  /** The transfer: block number and extrinsic index identify it (hashes are not unique in Substrate). Null only for fundings recorded before transfers were proven. */
  @Column({ name: 'transfer_block_number', type: 'bigint', nullable: true })
  transferBlockNumber: string | null;

  @Column({ name: 'transfer_extrinsic_index', type: 'int', nullable: true })
  transferExtrinsicIndex: number | null;

  @Column({ name: 'transfer_block_hash', type: 'text', nullable: true })
  transferBlockHash: string | null;

  /** Kept for explorers. */
  @Column({ name: 'transfer_hash', type: 'text', nullable: true })
  transferHash: string | null;

  @Column({ name: 'transfer_from', type: 'text', nullable: true })
  transferFrom: string | null;

  /** The block's timestamp for a proven transfer. */
  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
