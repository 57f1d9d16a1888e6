import type { Burn, BurnStatus } from './burn.entity.js';

/** Statuses with a transaction on chain (or on its way): what the public sees. Dry runs and expired plans never reached a block. */
export const PUBLIC_STATUSES: BurnStatus[] = ['submitted', 'in_block', 'finalized', 'failed'];

export interface PublicTotals {
  burns: number;
  tao_spent_rao: string;
  alpha_burned: string;
  fees_rao: string;
}

export function publicTotals(burns: Burn[]): PublicTotals {
  const done = burns.filter((b) => b.status === 'finalized');
  const sum = (xs: (string | null)[]) => xs.reduce((a, x) => a + BigInt(x ?? 0), 0n).toString();
  return {
    burns: done.length,
    tao_spent_rao: sum(done.map((b) => b.taoSpentRao)),
    alpha_burned: sum(done.map((b) => b.alphaBurned)),
    fees_rao: sum(burns.map((b) => b.feeRao)),
  };
}

export interface WeekBar {
  week: string;
  tao_spent_rao: bigint;
  alpha_burned: bigint;
}

/** Finalized burns summed per ISO week (Monday, UTC). */
export function weekly(burns: Burn[]): WeekBar[] {
  const weeks = new Map<string, WeekBar>();
  for (const b of burns.filter((x) => x.status === 'finalized')) {
    const d = new Date(b.finalizedAt ?? b.createdAt);
    const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7)));
    const key = monday.toISOString().slice(0, 10);
    const w = weeks.get(key) ?? { week: key, tao_spent_rao: 0n, alpha_burned: 0n };
    w.tao_spent_rao += BigInt(b.taoSpentRao ?? 0);
    w.alpha_burned += BigInt(b.alphaBurned ?? 0);
    weeks.set(key, w);
  }
  return [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week));
}
