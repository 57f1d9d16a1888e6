import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A closed month (UTC). Closing freezes everything dated up to its end (the services refuse,
 * and a trigger on the treasury tables backs them up) and keeps the statement exactly as it was
 * hashed: the JSON text, its SHA-256, the CSV, and the Merkle root of the month's allocations.
 */
@Entity({ name: 'treasury_periods' })
export class TreasuryPeriod {
  /** YYYY-MM. */
  @PrimaryColumn({ type: 'text' })
  period: string;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  /** The statement's exact bytes: its hash is of this text. */
  @Column({ name: 'statement_json', type: 'text' })
  statementJson: string;

  @Column({ name: 'statement_csv', type: 'text' })
  statementCsv: string;

  @Column({ name: 'statement_sha256', type: 'char', length: 64 })
  statementSha256: string;

  @Column({ name: 'merkle_root', type: 'char', length: 64 })
  merkleRoot: string;

  @Column({ name: 'allocation_count', type: 'int' })
  allocationCount: number;

  @Column({ name: 'closed_by', type: 'text' })
  closedBy: string;

  @Column({ name: 'closed_at', type: 'timestamptz' })
  closedAt: Date;
}
