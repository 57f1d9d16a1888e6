import { RESOLUTIONS, type Resolution } from '../core/video-format.js';
import { pricingEnv } from './pricing.env.js';

/** What one plan costs, in minor units of `currency`. */
export interface PlanPrice {
  plan: string;
  currency: string;
  baseMinor: number;
  /** Per resolution: the price of one video-second over the included seconds. */
  overagePerSecond: Record<Resolution, number>;
}

/** The plan's prices, or null when the plan is not sold (then nothing it does costs money). */
export function planPrice(plan: string): PlanPrice | null {
  const env = pricingEnv.get();
  const p = env.BILLING_PLAN_PRICES[plan];
  if (!p) return null;
  const overagePerSecond = Object.fromEntries(RESOLUTIONS.map((r) => [r, p.overage_per_second_by_resolution?.[r] ?? p.overage_per_second])) as Record<
    Resolution,
    number
  >;
  return { plan, currency: env.BILLING_CURRENCY, baseMinor: p.base, overagePerSecond };
}

export function currency(): string {
  return pricingEnv.get().BILLING_CURRENCY;
}

/**
 * Stripe bills a plan's overage as one graduated price at the lowest rate over all seconds, plus
 * one flat "surcharge" price per dearer resolution on the overage seconds of that resolution:
 * the two add up to exactly the per-resolution rate we charge (the included seconds stay one
 * shared free tier, which separate graduated prices per resolution could not express).
 */
export function surcharges(plan: string): { resolution: Resolution; perSecond: number }[] {
  const p = pricingEnv.get().BILLING_PLAN_PRICES[plan];
  if (!p) return [];
  return RESOLUTIONS.flatMap((r) => {
    const extra = (p.overage_per_second_by_resolution?.[r] ?? p.overage_per_second) - p.overage_per_second;
    return extra > 0 ? [{ resolution: r, perSecond: extra }] : [];
  });
}

/** Resolutions some plan charges a surcharge for: each has its own Stripe meter. */
export function surchargedResolutions(): Resolution[] {
  const plans = Object.keys(pricingEnv.get().BILLING_PLAN_PRICES);
  return RESOLUTIONS.filter((r) => plans.some((p) => surcharges(p).some((s) => s.resolution === r)));
}

/** What prices one tenant's videos: the included seconds and the overage rate per resolution (contracts/ resolves it). */
export interface PriceTerms {
  currency: string;
  included: number;
  overagePerSecond: Record<Resolution, number>;
}

export interface Cost {
  amount: number;
  currency: string;
  included_seconds_used: number;
  overage_seconds: number;
  /** The per-second overage price applied, kept so the cost can be explained after prices change. */
  unit_amount: number;
}

/**
 * One video's cost: its seconds first use what is left of the period's included seconds, the
 * rest is overage at the resolution's rate. Test-mode videos cost nothing and use nothing.
 */
export function costOf(input: { seconds: number; usedBefore: number; included: number; rate: number; livemode: boolean; currency: string }): Cost {
  if (!input.livemode) return { amount: 0, currency: input.currency, included_seconds_used: 0, overage_seconds: 0, unit_amount: input.rate };
  const includedUsed = Math.min(input.seconds, Math.max(0, input.included - input.usedBefore));
  const overage = input.seconds - includedUsed;
  return { amount: overage * input.rate, currency: input.currency, included_seconds_used: includedUsed, overage_seconds: overage, unit_amount: input.rate };
}

/** The Stripe meter event name for a resolution's overage seconds (its surcharge prices attach to that meter). */
export function surchargeMeterEventName(base: string, resolution: Resolution): string {
  return `${base}_${resolution}_overage`;
}
