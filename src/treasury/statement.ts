import { createHash } from 'node:crypto';
import { toCsv } from '../platform/http/csv.js';

/** One currency's flows in a period and the balances carried in and out. Minor units, never mixed with another currency. */
export interface CurrencyLine {
  currency: string;
  opening_unfunded_minor: string;
  opening_funded_unburned_minor: string;
  revenue_minor: string;
  allocated_minor: string;
  funded_minor: string;
  burned_minor: string;
  closing_unfunded_minor: string;
  closing_funded_unburned_minor: string;
}

/** TAO is its own unit: funded, spent by finalized burns, fees, alpha burned; carried as funded TAO not yet spent. */
export interface TaoLine {
  opening_unspent_rao: string;
  funded_rao: string;
  burned_tao_rao: string;
  alpha_burned: string;
  fees_rao: string;
  closing_unspent_rao: string;
}

export interface StatementBurn {
  burn_id: string;
  block_number: string;
  extrinsic_index: number;
  extrinsic_hash: string;
  tao_spent_rao: string;
  alpha_burned: string;
}

export interface Statement {
  object: 'treasury_statement';
  version: 1;
  period: string;
  starts_at: string;
  ends_at: string;
  currencies: CurrencyLine[];
  tao: TaoLine;
  allocations: { count: number; merkle_root: string; policy_versions: number[] };
  burns: StatementBurn[];
}

/** Flows and openings per currency as read from the database (bigints); the closing balances are derived here. */
export interface CurrencyFigures {
  currency: string;
  openingAllocated: bigint;
  openingFunded: bigint;
  openingBurned: bigint;
  revenue: bigint;
  allocated: bigint;
  funded: bigint;
  burned: bigint;
}

export function currencyLine(f: CurrencyFigures): CurrencyLine {
  const openUnfunded = f.openingAllocated - f.openingFunded;
  const openUnburned = f.openingFunded - f.openingBurned;
  return {
    currency: f.currency,
    opening_unfunded_minor: openUnfunded.toString(),
    opening_funded_unburned_minor: openUnburned.toString(),
    revenue_minor: f.revenue.toString(),
    allocated_minor: f.allocated.toString(),
    funded_minor: f.funded.toString(),
    burned_minor: f.burned.toString(),
    closing_unfunded_minor: (openUnfunded + f.allocated - f.funded).toString(),
    closing_funded_unburned_minor: (openUnburned + f.funded - f.burned).toString(),
  };
}

/** The exact text that is stored, served and hashed: key order is fixed by construction, no whitespace. */
export const statementJson = (s: Statement): string => JSON.stringify(s);

export const statementSha256 = (json: string): string => createHash('sha256').update(json, 'utf8').digest('hex');

const COLUMNS = ['period', 'section', 'currency', 'item', 'amount'] as const;

/** The same figures as rows for a spreadsheet; the JSON is the one hashed on chain. */
export function statementCsv(s: Statement): string {
  const rows: Record<(typeof COLUMNS)[number], unknown>[] = [];
  for (const line of s.currencies) {
    for (const [item, amount] of Object.entries(line))
      if (item !== 'currency') rows.push({ period: s.period, section: 'currency', currency: line.currency, item, amount });
  }
  for (const [item, amount] of Object.entries(s.tao)) rows.push({ period: s.period, section: 'tao', currency: 'tao', item, amount });
  rows.push({ period: s.period, section: 'allocations', currency: '', item: 'count', amount: s.allocations.count });
  rows.push({ period: s.period, section: 'allocations', currency: '', item: 'merkle_root', amount: s.allocations.merkle_root });
  for (const b of s.burns)
    rows.push({ period: s.period, section: 'burn', currency: 'tao', item: `${b.burn_id} ${b.block_number}-${b.extrinsic_index}`, amount: b.tao_spent_rao });
  return toCsv(COLUMNS, rows);
}

/** YYYY-MM → its first instant and the first instant of the next month, UTC. */
export function periodBounds(period: string): { start: Date; end: Date } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return { start: new Date(Date.UTC(y, m - 1, 1)), end: new Date(Date.UTC(y, m, 1)) };
}

export const periodOf = (d: Date): string => d.toISOString().slice(0, 7);

export function nextPeriod(period: string): string {
  return periodOf(periodBounds(period).end);
}
