import type { EntityManager } from 'typeorm';
import { COMMITTED } from './burn.entity.js';

export interface BurnPlan {
  amountRao: bigint;
  coveredMinor: bigint;
  allocations: { allocationId: string; amountMinor: bigint }[];
}

export interface TreasuryTotals {
  allocatedMinor: bigint;
  fundedRao: bigint;
  fundedMinor: bigint;
  committedRao: bigint;
  committedMinor: bigint;
  /** Funded TAO still backed by allocations: a refund after funding lowers it, so less is burned. */
  backedRao: bigint;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** The pool the burns draw on, read inside the caller's transaction. */
export async function treasuryTotals(manager: EntityManager): Promise<TreasuryTotals> {
  const [row] = (await manager.query(
    `SELECT (SELECT COALESCE(SUM(amount_minor), 0) FROM treasury_allocations)::text AS allocated,
            (SELECT COALESCE(SUM(amount_rao), 0) FROM treasury_fundings)::text AS funded_rao,
            (SELECT COALESCE(SUM(usd_cents), 0) FROM treasury_fundings)::text AS funded_minor,
            (SELECT COALESCE(SUM(amount_rao), 0) FROM treasury_burns WHERE status = ANY($1))::text AS committed_rao,
            (SELECT COALESCE(SUM(covered_minor), 0) FROM treasury_burns WHERE status = ANY($1))::text AS committed_minor`,
    [COMMITTED],
  )) as Record<string, string>[];
  const allocatedMinor = BigInt(row!.allocated!);
  const fundedRao = BigInt(row!.funded_rao!);
  const fundedMinor = BigInt(row!.funded_minor!);
  const backedRao = fundedMinor === 0n ? 0n : min(fundedRao, (min(allocatedMinor, fundedMinor) * fundedRao) / fundedMinor);
  return { allocatedMinor, fundedRao, fundedMinor, committedRao: BigInt(row!.committed_rao!), committedMinor: BigInt(row!.committed_minor!), backedRao: backedRao < 0n ? 0n : backedRao };
}

/**
 * The next burn: funded, allocation-backed TAO not yet committed to a burn, capped at `maxRao`;
 * null below `minRao`. The cents it covers are the funding's average rate applied cumulatively,
 * so once everything is burned the covered cents add up exactly to what was funded.
 */
export async function planBurn(manager: EntityManager, minRao: bigint, maxRao: bigint): Promise<BurnPlan | null> {
  const t = await treasuryTotals(manager);
  const burnable = t.backedRao - t.committedRao;
  const amountRao = min(burnable, maxRao);
  if (amountRao < minRao || amountRao <= 0n) return null;
  const coveredMinor = ((t.committedRao + amountRao) * t.fundedMinor) / t.fundedRao - t.committedMinor;
  return { amountRao, coveredMinor, allocations: await coverFifo(manager, coveredMinor) };
}

/** Assigns `cents` to the oldest allocations with cents not yet covered (net of refunds on the same invoice). */
async function coverFifo(manager: EntityManager, cents: bigint): Promise<BurnPlan['allocations']> {
  const rows = (await manager.query(
    `SELECT a.id,
            (a.amount_minor
             + COALESCE((SELECT SUM(r.amount_minor) FROM treasury_allocations r WHERE r.amount_minor < 0 AND r.stripe_invoice_id = a.stripe_invoice_id), 0)
             - COALESCE((SELECT SUM(ba.amount_minor) FROM treasury_burn_allocations ba JOIN treasury_burns b ON b.id = ba.burn_id
                         WHERE ba.allocation_id = a.id AND b.status = ANY($1)), 0))::text AS remaining
       FROM treasury_allocations a WHERE a.amount_minor > 0 ORDER BY a.id`,
    [COMMITTED],
  )) as { id: string; remaining: string }[];
  const out: BurnPlan['allocations'] = [];
  let left = cents;
  for (const r of rows) {
    if (left <= 0n) break;
    const take = min(left, BigInt(r.remaining));
    if (take <= 0n) continue;
    out.push({ allocationId: r.id, amountMinor: take });
    left -= take;
  }
  return out;
}
