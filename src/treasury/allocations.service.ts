import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { RevenueLedgerService } from '../billing/index.js';
import { newId } from '../platform/http/ids.js';
import { paginate, type ListQuery } from '../platform/http/pagination.js';
import { Allocation } from './allocation.entity.js';
import { treasuryEnv } from './treasury.env.js';

const SWEEP_BATCH = 500;

/** A revenue ledger entry as the allocator needs it (billing's `revenue_entries` row). */
export interface RevenueEntryLike {
  id: string;
  tenantId: string;
  kind: string;
  amountMinor: bigint | string;
  currency: string;
  stripeInvoiceId: string | null;
}

/** revenue × share in basis points, rounded toward zero (BigInt division), so a full refund takes back exactly what was allocated. */
export function shareOf(amountMinor: bigint, bps: number): bigint {
  return (amountMinor * BigInt(bps)) / 10_000n;
}

/** Turns revenue entries into buy-and-burn allocations: exactly one per entry, whoever calls and however often. */
@Injectable()
export class AllocationsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly ledger: RevenueLedgerService) {}

  /**
   * Allocates every ledger entry not yet allocated, in ledger order. The ledger serialises its
   * writers so id order is commit order; the cursor is the newest entry already allocated.
   */
  async sweep(): Promise<number> {
    let made = 0;
    for (;;) {
      const [{ cursor }] = (await this.db.query('SELECT max(revenue_entry_id) AS cursor FROM treasury_allocations')) as { cursor: string | null }[];
      const entries = await this.ledger.listAfter(cursor, SWEEP_BATCH);
      if (!entries.length) return made;
      await this.db.transaction(async (m) => {
        for (const e of entries) if (await this.allocate(m, e)) made++;
      });
      if (entries.length < SWEEP_BATCH) return made;
    }
  }

  /** Inside the caller's transaction; a second call for the same entry changes nothing and returns null. */
  async allocate(manager: EntityManager, entry: RevenueEntryLike): Promise<Allocation | null> {
    const bps = treasuryEnv.get().TREASURY_BURN_SHARE_BPS;
    const revenue = BigInt(entry.amountMinor);
    const row = {
      id: newId('allocation'),
      revenueEntryId: entry.id,
      tenantId: entry.tenantId,
      kind: entry.kind,
      stripeInvoiceId: entry.stripeInvoiceId,
      revenueMinor: revenue.toString(),
      currency: entry.currency.toLowerCase(),
      shareBps: bps,
      amountMinor: shareOf(revenue, bps).toString(),
    };
    const result = await manager.createQueryBuilder().insert().into(Allocation).values(row).orIgnore().returning('id').execute();
    return result.raw.length ? manager.getRepository(Allocation).findOneByOrFail({ id: row.id }) : null;
  }

  list(query: ListQuery) {
    return paginate(this.db.getRepository(Allocation).createQueryBuilder('a'), query);
  }
}
