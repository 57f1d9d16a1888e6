import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** TAO that reached the treasury coldkey, bought with allocated fiat off-chain. */
@Entity({ name: 'treasury_fundings' })
export class Funding {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'amount_rao', type: 'bigint' })
  amountRao: string;

  @Column({ name: 'usd_cents', type: 'bigint' })
  usdCents: string;

  /** USD per TAO as finance entered it (decimal text); amounts above are authoritative. */
  @Column({ type: 'text' })
  rate: string;

  @Column({ type: 'text' })
  source: string;

  /** The exchange's or transfer's id; one funding per reference. */
  @Column({ name: 'external_reference', type: 'text', unique: true })
  externalReference: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
