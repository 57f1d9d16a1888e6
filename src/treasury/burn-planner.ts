import type { EntityManager } from 'typeorm';
import { COMMITTED } from './burn.entity.js';

export interface BurnPlan {
  /** The pool the burn draws on: its fundings, the allocations it covers and `coveredMinor` are all in this currency. */
  currency: string;
  amountRao: bigint;
  coveredMinor: bigint;
  allocations: { allocationId: string; amountMinor: bigint }[];
}

/** One currency's pool: allocations and fundings in that currency, and the burns drawn on it. */
export interface TreasuryTotals {
  currency: string;
  allocatedMinor: bigint;
  fundedRao: bigint;
  fundedMinor: bigint;
  committedRao: bigint;
  committedMinor: bigint;
  /** Funded TAO still backed by allocations: a refund after funding lowers it, so less is burned. */
  backedRao: bigint;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** One currency's pool, read inside the caller's transaction. */
export async function treasuryTotals(manager: EntityManager, currency: string): Promise<TreasuryTotals> {
  const [row] = (await manager.query(
    `SELECT (SELECT COALESCE(SUM(amount_minor), 0) FROM treasury_allocations WHERE currency = $2)::text AS allocated,
            (SELECT COALESCE(SUM(amount_rao), 0) FROM treasury_fundings WHERE currency = $2)::text AS funded_rao,
            (SELECT COALESCE(SUM(fiat_minor), 0) FROM treasury_fundings WHERE currency = $2)::text AS funded_minor,
            (SELECT COALESCE(SUM(amount_rao), 0) FROM treasury_burns WHERE status = ANY($1) AND currency = $2)::text AS committed_rao,
            (SELECT COALESCE(SUM(covered_minor), 0) FROM treasury_burns WHERE status = ANY($1) AND currency = $2)::text AS committed_minor`,
    [COMMITTED, currency],
  )) as Record<string, string>[];
  const allocatedMinor = BigInt(row!.allocated!);
  const fundedRao = BigInt(row!.funded_rao!);
  const fundedMinor = BigInt(row!.funded_minor!);
  const backedRao = fundedMinor === 0n ? 0n : min(fundedRao, (min(allocatedMinor, fundedMinor) * fundedRao) / fundedMinor);
  return {
    currency,
    allocatedMinor,
    fundedRao,
    fundedMinor,
    committedRao: BigInt(row!.committed_rao!),
    committedMinor: BigInt(row!.committed_minor!),
    backedRao: backedRao < 0n ? 0n : backedRao,
  };
}

/**
 * The next burn: funded, allocation-backed TAO of one currency's pool not yet committed to a burn,
 * capped at `maxRao`; null below `minRao` in every pool. Pools are tried in currency order. The
 * minor units it covers are that pool's average funding rate applied cumulatively, so once the
 * pool is burned the covered amounts add up exactly to what was funded in that currency.
 */
export async function planBurn(manager: EntityManager, minRao: bigint, maxRao: bigint): Promise<BurnPlan | null> {
  const currencies = (await manager.query('SELECT DISTINCT currency FROM treasury_fundings ORDER BY currency')) as { currency: string }[];
  for (const { currency } of currencies) {
    const t = await treasuryTotals(manager, currency);
    const burnable = t.backedRao - t.committedRao;
    const amountRao = min(burnable, maxRao);
    if (amountRao < minRao || amountRao <= 0n) continue;
    const coveredMinor = ((t.committedRao + amountRao) * t.fundedMinor) / t.fundedRao - t.committedMinor;
    return { currency, amountRao, coveredMinor, allocations: await coverFifo(manager, currency, coveredMinor) };
  }
  return null;
}

/** Assigns `minor` to the oldest allocations in `currency` not yet covered (net of refunds on the same invoice). */
async function coverFifo(manager: EntityManager, currency: string, minor: bigint): Promise<BurnPlan['allocations']> {
  const rows = (await manager.query(
    `SELECT a.id,
            (a.amount_minor
             + COALESCE((SELECT SUM(r.amount_minor) FROM treasury_allocations r WHERE r.amount_minor < 0 AND r.stripe_invoice_id = a.stripe_invoice_id AND r.currency = a.currency), 0)
             - COALESCE((SELECT SUM(ba.amount_minor) FROM treasury_burn_allocations ba JOIN treasury_burns b ON b.id = ba.burn_id
                         WHERE ba.allocation_id = a.id AND b.status = ANY($1)), 0))::text AS remaining
       FROM treasury_allocations a WHERE a.amount_minor > 0 AND a.currency = $2 ORDER BY a.id`,
    [COMMITTED, currency],
  )) as { id: string; remaining: string }[];
  const out: BurnPlan['allocations'] = [];
  let left = minor;
  for (const r of rows) {
    if (left <= 0n) break;
    const take = min(left, BigInt(r.remaining));
    if (take <= 0n) continue;
    out.push({ allocationId: r.id, amountMinor: take });
    left -= take;
  }
  return out;
}
