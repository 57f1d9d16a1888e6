import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import { paginate, type ListQuery } from '../platform/http/pagination.js';
import { Allocation } from './allocation.entity.js';
import type { BurnPolicy } from './burn-policy.entity.js';
import { BurnPolicies } from './burn-policies.service.js';

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
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly policies: BurnPolicies,
  ) {}

  /**
   * Allocates every ledger entry not yet allocated, oldest id first. Entries are found by what has
   * no allocation, not by a cursor past the newest allocated id: ids are made by whichever process
   * records the entry, so an entry committed late by a slower process (or one whose clock is behind)
   * can carry an older id than one already allocated, and a cursor would skip it for good.
   */
  async sweep(): Promise<number> {
    let made = 0;
    for (;;) {
      const entries = await this.unallocated(SWEEP_BATCH);
      if (!entries.length) return made;
      await this.db.transaction(async (m) => {
        const policy = await this.policies.inEffect(m);
        for (const e of entries) if (await this.allocate(m, e, policy)) made++;
      });
      if (entries.length < SWEEP_BATCH) return made;
    }
  }

  /** The oldest `limit` revenue entries (billing's `revenue_entries`) with no allocation yet. */
  private unallocated(limit: number): Promise<RevenueEntryLike[]> {
    return this.db.query(
      `SELECT r.id, r.tenant_id AS "tenantId", r.kind, r.amount_minor::text AS "amountMinor", r.currency, r.stripe_invoice_id AS "stripeInvoiceId"
         FROM revenue_entries r
        WHERE NOT EXISTS (SELECT 1 FROM treasury_allocations a WHERE a.revenue_entry_id = r.id)
        ORDER BY r.id LIMIT $1`,
      [limit],
    ) as Promise<RevenueEntryLike[]>;
  }

  /**
   * Inside the caller's transaction, with the policy in effect now (read here unless given); a
   * second call for the same entry changes nothing and returns null.
   */
  async allocate(manager: EntityManager, entry: RevenueEntryLike, policy?: BurnPolicy): Promise<Allocation | null> {
    const { shareBps: bps, version } = policy ?? (await this.policies.inEffect(manager));
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
      policyVersion: version,
      amountMinor: shareOf(revenue, bps).toString(),
    };
    const result = await manager.createQueryBuilder().insert().into(Allocation).values(row).orIgnore().returning('id').execute();
    return result.raw.length ? manager.getRepository(Allocation).findOneByOrFail({ id: row.id }) : null;
  }

  list(query: ListQuery) {
    return paginate(this.db.getRepository(Allocation).createQueryBuilder('a'), query);
  }
}
