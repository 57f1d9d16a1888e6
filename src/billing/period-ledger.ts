import type { EntityManager } from 'typeorm';
import type { RateCard } from '../contracts/index.js';
import { pricedRowsIn, surchargedResolutions, type PricedRow } from '../usage/index.js';
import type { Resolution } from '../core/video-format.js';

/** One line of what we say a period's invoice should hold, in minor units. */
export interface LedgerLine {
  kind: 'base' | 'usage' | 'commitment_true_up';
  /** The resolution a usage line's surcharge is for; the seconds line has none. */
  resolution?: Resolution;
  amount: number;
  discountable: boolean;
}

/**
 * What our ledger says a tenant owes for a period: the rate card's base fee, the sum of the
 * per-video costs stored with the usage records (split into the seconds line and one surcharge
 * line per dearer resolution, as Stripe bills them), the true-up of an unmet minimum commitment,
 * the discount (per line, rounded, on base and usage; never on the true-up), and the credit drawn.
 *
 * How the commitment is invoiced: it is a floor on base + overage before the discount; what the
 * period's usage leaves of it is added to the period's invoice as one non-discountable line.
 */
export interface PeriodLedger {
  card: RateCard;
  rows: PricedRow[];
  lines: LedgerLine[];
  subtotal: number;
  discount: number;
  total: number;
  credits: number;
  trueUp: number;
}

export async function periodLedger(
  db: Pick<EntityManager, 'query'>,
  tenantId: string,
  period: { start: Date; end: Date },
  card: RateCard,
): Promise<PeriodLedger> {
  const rows = await pricedRowsIn(db, tenantId, period);
  const usage = rows.reduce((s, r) => s + r.amount_minor, 0);
  const low = card.overagePerSecond['480p'];
  const surcharges = surchargedResolutions()
    .filter((r) => card.overagePerSecond[r] > low)
    .map((r) => ({
      resolution: r,
      amount: rows.filter((x) => x.resolution === r).reduce((s, x) => s + x.overage_seconds, 0) * (card.overagePerSecond[r] - low),
    }));
  const surchargeTotal = surcharges.reduce((s, x) => s + x.amount, 0);
  const trueUp = Math.max(0, card.commitmentMinor - (card.baseMinor + usage));
  const lines: LedgerLine[] = [
    { kind: 'base', amount: card.baseMinor, discountable: true },
    { kind: 'usage', amount: usage - surchargeTotal, discountable: true },
    ...surcharges.map((x) => ({ kind: 'usage' as const, resolution: x.resolution, amount: x.amount, discountable: true })),
    ...(trueUp > 0 ? [{ kind: 'commitment_true_up' as const, amount: trueUp, discountable: false }] : []),
  ];
  const subtotal = lines.reduce((s, l) => s + l.amount, 0);
  const discount = lines.filter((l) => l.discountable).reduce((s, l) => s + Math.round((l.amount * card.discountBps) / 10_000), 0);
  return { card, rows, lines, subtotal, discount, total: subtotal - discount, credits: rows.reduce((s, r) => s + r.credits_applied_minor, 0), trueUp };
}
