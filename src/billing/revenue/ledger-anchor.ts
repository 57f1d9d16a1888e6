import { currentPeriod } from '../../usage/index.js';

/**
 * Subscriptions are billed on the period the usage ledger counts included seconds in (the UTC
 * calendar month): anchored at the next month start, the first, partial month prorated (Stripe's
 * default, made explicit). Without it Stripe's periods run from the signup day, and a mid-month
 * subscriber would be invoiced overage for seconds our ledger counted in the included ones. Stripe
 * takes an anchor only before the natural next billing date, so at the very start of a month (the
 * periods already agree) none is sent.
 */
export function ledgerAnchor(now = new Date()): { billing_cycle_anchor: number; proration_behavior: 'create_prorations' } | Record<string, never> {
  const { start, end } = currentPeriod(now);
  if (Math.floor(now.getTime() / 1000) === start.getTime() / 1000) return {};
  return { billing_cycle_anchor: end.getTime() / 1000, proration_behavior: 'create_prorations' };
}
