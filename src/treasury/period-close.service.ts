import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../audit/index.js';
import { AuditService } from '../audit/index.js';
import { DomainError } from '../platform/http/domain-error.js';
import { COMMITTED, UNRESOLVED } from './burn.entity.js';

/** Burns that will still change: a planned one is released (failed) or signed by the next run, the others follow the chain. */
const UNSETTLED = ['planned', ...UNRESOLVED];
import { periodAllocations } from './period-allocations.js';
import { allocationLeaf, merkleRoot } from './merkle.js';
import { TreasuryPeriod } from './treasury-period.entity.js';
import { currencyLine, nextPeriod, periodBounds, statementCsv, statementJson, statementSha256, type Statement, type StatementBurn } from './statement.js';

const PERIOD_LOCK = 0x70657269; // 'peri'
/** The SQLSTATE the closed-period triggers raise (migrations/1796670000000-treasury-policies-periods.ts). */
const CLOSED_SQLSTATE = 'LP001';

/** Fundings as (currency, fiat minor units, RAO, date): the date is the transfer's block time, so a late funding is dated where it landed. */
const FUNDINGS = `SELECT currency, fiat_minor AS minor, amount_rao AS rao, received_at AS dated FROM treasury_fundings`;

const periodClosed = (dated: Date, through: Date) =>
  new DomainError(
    'period_closed',
    `${dated.toISOString()} is in a closed period (the treasury is closed through ${through.toISOString()}); date it in an open month.`,
    { closed_through: through.toISOString() },
  );

/** The trigger's refusal (a race the services' own check lost) as the same stable code. */
export function closedPeriodRefusal(error: unknown): never {
  if ((error as { driverError?: { code?: string } }).driverError?.code === CLOSED_SQLSTATE)
    throw new DomainError('period_closed', 'This change is dated in a closed period.');
  throw error;
}

/**
 * Finance's month close. Months close in order; closing one freezes everything dated before its
 * end (allocations, fundings, burns) and keeps its statement: per currency revenue, allocations,
 * fundings, burns and the balances carried in and out, the TAO side, and the Merkle root of the
 * month's allocations. The next burn carries the statement's SHA-256 and the root in its memo.
 */
@Injectable()
export class PeriodClose {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The end of the last closed month, or null while none is closed. */
  async closedThrough(manager: EntityManager = this.db.manager): Promise<Date | null> {
    const [row] = (await manager.query('SELECT max(ends_at) AS through FROM treasury_periods')) as { through: Date | null }[];
    return row?.through ?? null;
  }

  /** Refuses with `period_closed` a change dated at `dated` when that month is closed. */
  async assertOpen(manager: EntityManager, dated: Date): Promise<void> {
    const through = await this.closedThrough(manager);
    if (through && dated < through) throw periodClosed(dated, through);
  }

  /** The burn whose memo carries `period`: the finalized one, else the one on its way. */
  async anchoredBy(period: string): Promise<{ burn_id: string; status: string; block_number: number | null; extrinsic_index: number | null } | null> {
    const [row] = (await this.db.query(
      `SELECT b.id, b.status, b.block_number, b.extrinsic_index FROM treasury_burn_anchors x JOIN treasury_burns b ON b.id = x.burn_id
        WHERE x.period = $1 AND b.status = ANY($2) ORDER BY (b.status = 'finalized') DESC, b.id DESC LIMIT 1`,
      [period, COMMITTED],
    )) as { id: string; status: string; block_number: string | null; extrinsic_index: number | null }[];
    return row
      ? { burn_id: row.id, status: row.status, block_number: row.block_number === null ? null : Number(row.block_number), extrinsic_index: row.extrinsic_index }
      : null;
  }

  list(): Promise<TreasuryPeriod[]> {
    return this.db.getRepository(TreasuryPeriod).find({ order: { period: 'DESC' } });
  }

  async get(period: string): Promise<TreasuryPeriod> {
    const found = await this.db.getRepository(TreasuryPeriod).findOneBy({ period });
    if (!found) throw new DomainError('period_not_found', `${period} is not closed: it has no statement yet.`);
    return found;
  }

  async close(period: string, actor: Actor): Promise<TreasuryPeriod> {
    const { start, end } = periodBounds(period);
    if (end > new Date()) throw new DomainError('period_not_ended', `${period} has not ended yet (UTC); it can be closed from ${end.toISOString()}.`);
    return this.db.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [PERIOD_LOCK]);
      const [last] = (await manager.query('SELECT period FROM treasury_periods ORDER BY period DESC LIMIT 1')) as { period: string }[];
      if (last && period <= last.period)
        throw new DomainError('period_already_closed', `${period} is already closed (the treasury is closed through ${last.period}).`);
      if (last && period !== nextPeriod(last.period))
        throw new DomainError('period_out_of_order', `Months close in order: the next one to close is ${nextPeriod(last.period)}.`, {
          next_period: nextPeriod(last.period),
        });
      const [open] = (await manager.query('SELECT count(*)::int AS n FROM treasury_burns WHERE status = ANY($1) AND created_at < $2', [UNSETTLED, end])) as {
        n: number;
      }[];
      if (open!.n)
        throw new DomainError(
          'period_has_unresolved_burns',
          `${open!.n} burn(s) dated in or before ${period} may still land on chain; close the month once they settle.`,
        );
      const statement = await this.statement(manager, period, start, end);
      const json = statementJson(statement);
      const row = manager.getRepository(TreasuryPeriod).create({
        period,
        startsAt: start,
        endsAt: end,
        statementJson: json,
        statementCsv: statementCsv(statement),
        statementSha256: statementSha256(json),
        merkleRoot: statement.allocations.merkle_root,
        allocationCount: statement.allocations.count,
        closedBy: actor.id,
        closedAt: new Date(),
      });
      await manager.insert(TreasuryPeriod, row);
      await this.audit.record(manager, actor, {
        tenantId: null,
        action: 'treasury_period.closed',
        targetType: 'treasury_period',
        targetId: period,
        after: { statement_sha256: row.statementSha256, merkle_root: row.merkleRoot, allocation_count: row.allocationCount },
      });
      return manager.getRepository(TreasuryPeriod).findOneByOrFail({ period });
    });
  }

  /** The statement as of now, read in the closing transaction (nothing before `end` can change once it commits). */
  private async statement(manager: EntityManager, period: string, start: Date, end: Date): Promise<Statement> {
    const currencies = (await manager.query(
      `WITH f AS (${FUNDINGS}),
            b AS (SELECT al.currency, ba.amount_minor, bu.created_at FROM treasury_burn_allocations ba
                    JOIN treasury_burns bu ON bu.id = ba.burn_id JOIN treasury_allocations al ON al.id = ba.allocation_id WHERE bu.status = 'finalized'),
            c AS (SELECT currency FROM treasury_allocations WHERE created_at < $2 UNION SELECT currency FROM f WHERE dated < $2)
       SELECT c.currency,
              (SELECT COALESCE(SUM(amount_minor), 0) FROM treasury_allocations a WHERE a.currency = c.currency AND a.created_at < $1)::text AS "openingAllocated",
              (SELECT COALESCE(SUM(minor), 0) FROM f WHERE f.currency = c.currency AND f.dated < $1)::text AS "openingFunded",
              (SELECT COALESCE(SUM(amount_minor), 0) FROM b WHERE b.currency = c.currency AND b.created_at < $1)::text AS "openingBurned",
              (SELECT COALESCE(SUM(revenue_minor), 0) FROM treasury_allocations a WHERE a.currency = c.currency AND a.created_at >= $1 AND a.created_at < $2)::text AS revenue,
              (SELECT COALESCE(SUM(amount_minor), 0) FROM treasury_allocations a WHERE a.currency = c.currency AND a.created_at >= $1 AND a.created_at < $2)::text AS allocated,
              (SELECT COALESCE(SUM(minor), 0) FROM f WHERE f.currency = c.currency AND f.dated >= $1 AND f.dated < $2)::text AS funded,
              (SELECT COALESCE(SUM(amount_minor), 0) FROM b WHERE b.currency = c.currency AND b.created_at >= $1 AND b.created_at < $2)::text AS burned
         FROM c ORDER BY c.currency`,
      [start, end],
    )) as Record<string, string>[];
    const [tao] = (await manager.query(
      `WITH f AS (${FUNDINGS})
       SELECT (SELECT COALESCE(SUM(rao), 0) FROM f WHERE dated < $1)::text AS opening_funded,
              (SELECT COALESCE(SUM(tao_spent_rao), 0) FROM treasury_burns WHERE status = 'finalized' AND created_at < $1)::text AS opening_spent,
              (SELECT COALESCE(SUM(rao), 0) FROM f WHERE dated >= $1 AND dated < $2)::text AS funded,
              (SELECT COALESCE(SUM(tao_spent_rao), 0) FROM treasury_burns WHERE status = 'finalized' AND created_at >= $1 AND created_at < $2)::text AS spent,
              (SELECT COALESCE(SUM(alpha_burned), 0) FROM treasury_burns WHERE status = 'finalized' AND created_at >= $1 AND created_at < $2)::text AS alpha,
              (SELECT COALESCE(SUM(fee_rao), 0) FROM treasury_burns WHERE created_at >= $1 AND created_at < $2)::text AS fees`,
      [start, end],
    )) as Record<string, string>[];
    const burns = (await manager.query(
      `SELECT id AS burn_id, block_number::text, extrinsic_index, extrinsic_hash, tao_spent_rao::text, alpha_burned::text FROM treasury_burns
        WHERE status = 'finalized' AND created_at >= $1 AND created_at < $2 ORDER BY id`,
      [start, end],
    )) as StatementBurn[];
    const allocations = await periodAllocations(manager, start, end);
    const opening = BigInt(tao!.opening_funded!) - BigInt(tao!.opening_spent!);
    return {
      object: 'treasury_statement',
      version: 1,
      period,
      starts_at: start.toISOString(),
      ends_at: end.toISOString(),
      currencies: currencies.map((r) =>
        currencyLine({
          currency: r.currency!,
          openingAllocated: BigInt(r.openingAllocated!),
          openingFunded: BigInt(r.openingFunded!),
          openingBurned: BigInt(r.openingBurned!),
          revenue: BigInt(r.revenue!),
          allocated: BigInt(r.allocated!),
          funded: BigInt(r.funded!),
          burned: BigInt(r.burned!),
        }),
      ),
      tao: {
        opening_unspent_rao: opening.toString(),
        funded_rao: tao!.funded!,
        burned_tao_rao: tao!.spent!,
        alpha_burned: tao!.alpha!,
        fees_rao: tao!.fees!,
        closing_unspent_rao: (opening + BigInt(tao!.funded!) - BigInt(tao!.spent!)).toString(),
      },
      allocations: {
        count: allocations.length,
        merkle_root: merkleRoot(allocations.map(allocationLeaf)),
        policy_versions: [...new Set(allocations.map((a) => a.policyVersion))].sort((x, y) => x - y),
      },
      burns: burns.map((b) => ({ ...b, extrinsic_index: Number(b.extrinsic_index) })),
    };
  }
}
