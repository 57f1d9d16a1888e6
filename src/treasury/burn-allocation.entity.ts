import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Which allocations (and through them which invoices) a burn pays for, in cents. */
@Entity({ name: 'treasury_burn_allocations' })
export class BurnAllocation {
  @PrimaryColumn({ name: 'burn_id', type: 'text' })
  burnId: string;

  @PrimaryColumn({ name: 'allocation_id', type: 'text' })
  allocationId: string;

  @Column({ name: 'amount_minor', type: 'bigint' })
  amountMinor: string;
}
