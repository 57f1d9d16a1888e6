import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CurrencyFiguresObject, ReconciliationCheck, ReconciliationObject, TreasurySummaryObject } from './dto/report.objects.js';
import { byCurrency } from './money.js';
import { treasuryEnv } from './treasury.env.js';

type Row = Record<string, string>;

/** One currency's pool: its revenue, allocations and fundings, and the burns drawn on it (TAO in RAO). */
interface Pool {
  currency: string;
  revenue: string;
  expected_allocated: string;
  allocated: string;
  funded_minor: string;
  funded_rao: string;
  covered_minor: string;
  covered_by_allocation: string;
  burned_rao: string;
  burned_planned_rao: string;
  in_flight_rao: string;
}

/**
 * How long a new ledger entry may wait for its allocation before reconciliation calls it missing:
 * two of the worker's sweep intervals, so one slow or failed pass is not reported as a difference.
 */
const sweepGraceMs = () => 2 * treasuryEnv.get().TREASURY_ALLOCATION_INTERVAL_MS;

const COMMITTED = "('planned', 'signed', 'submitted', 'in_block', 'finalized')";

/**
 * Summary and reconciliation, each read in one statement so the figures come from one snapshot.
 * Fiat figures are per currency and never summed across currencies; TAO is.
 */
@Injectable()
export class TreasuryReports {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private async figures(): Promise<{ pools: Pool[]; global: Row }> {
    const [row] = (await this.db.query(
      `
      WITH cur AS (SELECT lower(currency) AS currency FROM revenue_entries UNION SELECT currency FROM treasury_allocations
                   UNION SELECT currency FROM treasury_fundings UNION SELECT currency FROM treasury_burns),
           pools AS (
        SELECT c.currency,
               (SELECT COALESCE(SUM(amount_minor), 0) FROM revenue_entries r WHERE lower(r.currency) = c.currency)::text AS revenue,
               (SELECT COALESCE(SUM((r.amount_minor * a.share_bps) / 10000), 0) FROM treasury_allocations a JOIN revenue_entries r ON r.id = a.revenue_entry_id WHERE a.currency = c.currency)::text AS expected_allocated,
               (SELECT COALESCE(SUM(amount_minor), 0) FROM treasury_allocations a WHERE a.currency = c.currency)::text AS allocated,
               (SELECT COALESCE(SUM(fiat_minor), 0) FROM treasury_fundings f WHERE f.currency = c.currency)::text AS funded_minor,
               (SELECT COALESCE(SUM(amount_rao), 0) FROM treasury_fundings f WHERE f.currency = c.currency)::text AS funded_rao,
               (SELECT COALESCE(SUM(covered_minor), 0) FROM treasury_burns b WHERE b.currency = c.currency AND b.status IN ${COMMITTED})::text AS covered_minor,
               (SELECT COALESCE(SUM(ba.amount_minor), 0) FROM treasury_burn_allocations ba JOIN treasury_burns b ON b.id = ba.burn_id
                 WHERE b.currency = c.currency AND b.status IN ${COMMITTED})::text AS covered_by_allocation,
               (SELECT COALESCE(SUM(tao_spent_rao), 0) FROM treasury_burns b WHERE b.currency = c.currency AND b.status = 'finalized')::text AS burned_rao,
               (SELECT COALESCE(SUM(amount_rao), 0) FROM treasury_burns b WHERE b.currency = c.currency AND b.status = 'finalized')::text AS burned_planned_rao,
               (SELECT COALESCE(SUM(amount_rao), 0) FROM treasury_burns b WHERE b.currency = c.currency AND b.status IN ('planned', 'signed', 'submitted', 'in_block'))::text AS in_flight_rao
          FROM cur c)
      SELECT (SELECT COALESCE(json_agg(p ORDER BY p.currency), '[]')::text FROM pools p) AS pools,
             (SELECT count(*) FROM revenue_entries r WHERE NOT EXISTS (SELECT 1 FROM treasury_allocations a WHERE a.revenue_entry_id = r.id)
                 AND r.created_at < now() - make_interval(secs => $1::float8 / 1000))::text AS unallocated,
             (SELECT count(*) FROM revenue_entries r WHERE NOT EXISTS (SELECT 1 FROM treasury_allocations a WHERE a.revenue_entry_id = r.id)
                 AND r.created_at >= now() - make_interval(secs => $1::float8 / 1000))::text AS awaiting_sweep,
             (SELECT count(*) FROM treasury_burn_allocations ba JOIN treasury_burns b ON b.id = ba.burn_id JOIN treasury_allocations a ON a.id = ba.allocation_id
               WHERE a.currency <> b.currency)::text AS cross_currency_links,
             (SELECT COALESCE(SUM(alpha_burned), 0) FROM treasury_burns WHERE status = 'finalized')::text AS burned_alpha,
             (SELECT COALESCE(SUM(fee_rao), 0) FROM treasury_burns)::text AS fees_rao,
             (SELECT COALESCE(json_object_agg(status, n), '{}')::text FROM (SELECT status, COUNT(*) AS n FROM treasury_burns GROUP BY status) s) AS by_status`,
      [sweepGraceMs()],
    )) as Row[];
    return { pools: byCurrency(JSON.parse(row!.pools!) as Pool[]), global: row! };
  }

  async summary(dryRun: boolean): Promise<TreasurySummaryObject> {
    const { pools, global } = await this.figures();
    const currencies = pools.map(presentPool);
    const tao = (k: keyof CurrencyFiguresObject) => currencies.reduce((sum, c) => sum + BigInt(c[k] as string), 0n).toString();
    return {
      object: 'treasury_summary',
      currencies,
      funded_rao: tao('funded_rao'),
      burned_tao_rao: tao('burned_tao_rao'),
      burned_alpha: global.burned_alpha!,
      in_flight_rao: tao('in_flight_rao'),
      pending_rao: tao('pending_rao'),
      fees_rao: global.fees_rao!,
      burns_by_status: JSON.parse(global.by_status!) as Record<string, number>,
      dry_run: dryRun,
    };
  }

  /**
   * Per currency: revenue × share = allocations = funded + unfunded; funded = burned + in flight +
   * pending; what burns cover = their allocation links. And no burn covers another currency's allocation.
   */
  async reconciliation(): Promise<ReconciliationObject> {
    const { pools, global } = await this.figures();
    const checks: ReconciliationCheck[] = [
      {
        name: 'every_revenue_entry_allocated',
        currency: null,
        ok: global.unallocated === '0',
        detail: `${global.unallocated} ledger entries without an allocation after ${sweepGraceMs() / 1000} s; ${global.awaiting_sweep} newer ones await the worker's sweep`,
      },
      {
        name: 'burns_cover_their_own_currency',
        currency: null,
        ok: global.cross_currency_links === '0',
        detail: `${global.cross_currency_links} burn links to an allocation in another currency than the burn's`,
      },
    ];
    for (const p of pools) {
      const b = (k: keyof Pool) => BigInt(p[k]);
      const c = p.currency;
      const pending = b('funded_rao') - b('burned_planned_rao') - b('in_flight_rao');
      const unfunded = b('allocated') - b('funded_minor');
      checks.push(
        {
          name: 'revenue_times_share',
          currency: c,
          ok: b('expected_allocated') === b('allocated'),
          detail: `ledger revenue ${p.revenue} ${c} × share, per entry = ${p.expected_allocated}; allocated ${p.allocated} (${c} minor units)`,
        },
        {
          name: 'allocated_is_funded_plus_unfunded',
          currency: c,
          ok: b('covered_minor') <= b('funded_minor'),
          detail: `allocated ${p.allocated} = funded ${p.funded_minor} + unfunded ${unfunded}; burns cover ${p.covered_minor} of the funded ${c} minor units`,
        },
        {
          name: 'funded_is_burned_plus_pending',
          currency: c,
          ok: pending >= 0n,
          detail: `funded in ${c} ${p.funded_rao} = burned ${p.burned_planned_rao} + in flight ${p.in_flight_rao} + pending ${pending} (RAO)`,
        },
        {
          name: 'burned_matches_chain',
          currency: c,
          ok: b('burned_rao') === b('burned_planned_rao'),
          detail: `TAO planned for finalized ${c} burns ${p.burned_planned_rao} = spent on chain (AddStakeBurn) ${p.burned_rao} (RAO)`,
        },
        {
          name: 'burns_cover_allocations',
          currency: c,
          ok: b('covered_minor') === b('covered_by_allocation'),
          detail: `${c} minor units covered by burns ${p.covered_minor} = linked to allocations ${p.covered_by_allocation}`,
        },
      );
    }
    return { object: 'treasury_reconciliation', balanced: checks.every((x) => x.ok), checks, generated_at: new Date().toISOString() };
  }
}

function presentPool(p: Pool): CurrencyFiguresObject {
  const pending = BigInt(p.funded_rao) - BigInt(p.burned_planned_rao) - BigInt(p.in_flight_rao);
  return {
    currency: p.currency,
    revenue_minor: Number(p.revenue),
    allocated_minor: Number(p.allocated),
    funded_minor: Number(p.funded_minor),
    unfunded_minor: Number(p.allocated) - Number(p.funded_minor),
    covered_minor: Number(p.covered_minor),
    funded_rao: p.funded_rao,
    burned_tao_rao: p.burned_rao,
    in_flight_rao: p.in_flight_rao,
    pending_rao: pending.toString(),
  };
}
