import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ReconciliationObject, TreasurySummaryObject } from './dto/report.objects.js';
import { treasuryEnv } from './treasury.env.js';

type Row = Record<string, string>;

/**
 * How long a new ledger entry may wait for its allocation before reconciliation calls it missing:
 * two of the worker's sweep intervals, so one slow or failed pass is not reported as a difference.
 */
const sweepGraceMs = () => 2 * treasuryEnv.get().TREASURY_ALLOCATION_INTERVAL_MS;

/** Summary and reconciliation, each read in one statement so the figures come from one snapshot. */
@Injectable()
export class TreasuryReports {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private async figures(): Promise<Row> {
    const [row] = (await this.db.query(
      `
      SELECT (SELECT COALESCE(SUM(amount_minor), 0) FROM revenue_entries)::text AS revenue,
             (SELECT count(*) FROM revenue_entries r WHERE NOT EXISTS (SELECT 1 FROM treasury_allocations a WHERE a.revenue_entry_id = r.id)
                 AND r.created_at < now() - make_interval(secs => $1::float8 / 1000))::text AS unallocated,
             (SELECT count(*) FROM revenue_entries r WHERE NOT EXISTS (SELECT 1 FROM treasury_allocations a WHERE a.revenue_entry_id = r.id)
                 AND r.created_at >= now() - make_interval(secs => $1::float8 / 1000))::text AS awaiting_sweep,
             (SELECT COALESCE(SUM(amount_minor), 0) FROM treasury_allocations)::text AS allocated,
             (SELECT COALESCE(SUM(usd_cents), 0) FROM treasury_fundings)::text AS funded_minor,
             (SELECT COALESCE(SUM(amount_rao), 0) FROM treasury_fundings)::text AS funded_rao,
             (SELECT COALESCE(SUM(tao_spent_rao), 0) FROM treasury_burns WHERE status = 'finalized')::text AS burned_rao,
             (SELECT COALESCE(SUM(amount_rao), 0) FROM treasury_burns WHERE status = 'finalized')::text AS burned_planned_rao,
             (SELECT COALESCE(SUM(alpha_burned), 0) FROM treasury_burns WHERE status = 'finalized')::text AS burned_alpha,
             (SELECT COALESCE(SUM(amount_rao), 0) FROM treasury_burns WHERE status IN ('planned', 'signed', 'submitted', 'in_block'))::text AS in_flight_rao,
             (SELECT COALESCE(SUM(fee_rao), 0) FROM treasury_burns)::text AS fees_rao,
             (SELECT COALESCE(SUM(covered_minor), 0) FROM treasury_burns WHERE status IN ('planned', 'signed', 'submitted', 'in_block', 'finalized'))::text AS covered_minor,
             (SELECT COALESCE(SUM(ba.amount_minor), 0) FROM treasury_burn_allocations ba JOIN treasury_burns b ON b.id = ba.burn_id
               WHERE b.status IN ('planned', 'signed', 'submitted', 'in_block', 'finalized'))::text AS covered_by_allocation,
             (SELECT COALESCE(SUM((r.amount_minor * a.share_bps) / 10000), 0) FROM treasury_allocations a JOIN revenue_entries r ON r.id = a.revenue_entry_id)::text AS expected_allocated,
             (SELECT COALESCE(json_object_agg(status, n), '{}')::text FROM (SELECT status, COUNT(*) AS n FROM treasury_burns GROUP BY status) s) AS by_status`,
      [sweepGraceMs()],
    )) as Row[];
    return row!;
  }

  async summary(dryRun: boolean): Promise<TreasurySummaryObject> {
    const f = await this.figures();
    const funded = BigInt(f.funded_rao!);
    const burned = BigInt(f.burned_planned_rao!);
    const inFlight = BigInt(f.in_flight_rao!);
    return {
      object: 'treasury_summary',
      revenue_minor: Number(f.revenue),
      allocated_minor: Number(f.allocated),
      funded_minor: Number(f.funded_minor),
      unfunded_minor: Number(f.allocated) - Number(f.funded_minor),
      funded_rao: f.funded_rao!,
      burned_tao_rao: f.burned_rao!,
      burned_alpha: f.burned_alpha!,
      in_flight_rao: inFlight.toString(),
      pending_rao: (funded - burned - inFlight).toString(),
      fees_rao: f.fees_rao!,
      burns_by_status: JSON.parse(f.by_status!) as Record<string, number>,
      dry_run: dryRun,
    };
  }

  /** revenue × share = allocations = funded + unfunded; funded = burned + in flight + pending; what burns cover = their allocation links. */
  async reconciliation(): Promise<ReconciliationObject> {
    const f = await this.figures();
    const b = (k: string) => BigInt(f[k]!);
    const funded = b('funded_rao');
    const pending = funded - b('burned_planned_rao') - b('in_flight_rao');
    const unfunded = b('allocated') - b('funded_minor');
    const checks = [
      { name: 'every_revenue_entry_allocated', ok: b('unallocated') === 0n, detail: `${f.unallocated} ledger entries without an allocation after ${sweepGraceMs() / 1000} s; ${f.awaiting_sweep} newer ones await the worker's sweep` },
      { name: 'revenue_times_share', ok: b('expected_allocated') === b('allocated'), detail: `ledger revenue ${f.revenue} × share, per entry = ${f.expected_allocated}; allocated ${f.allocated} (cents)` },
      { name: 'allocated_is_funded_plus_unfunded', ok: b('covered_minor') <= b('funded_minor'), detail: `allocated ${f.allocated} = funded ${f.funded_minor} + unfunded ${unfunded}; burns cover ${f.covered_minor} of the funded cents` },
      { name: 'funded_is_burned_plus_pending', ok: pending >= 0n, detail: `funded ${funded} = burned ${f.burned_planned_rao} + in flight ${f.in_flight_rao} + pending ${pending} (RAO)` },
      { name: 'burned_matches_chain', ok: b('burned_rao') === b('burned_planned_rao'), detail: `TAO planned for finalized burns ${f.burned_planned_rao} = spent on chain (AddStakeBurn) ${f.burned_rao} (RAO)` },
      { name: 'burns_cover_allocations', ok: b('covered_minor') === b('covered_by_allocation'), detail: `cents covered by burns ${f.covered_minor} = cents linked to allocations ${f.covered_by_allocation}` },
    ];
    return { object: 'treasury_reconciliation', balanced: checks.every((c) => c.ok), checks, generated_at: new Date().toISOString() };
  }
}
