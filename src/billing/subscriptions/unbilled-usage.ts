import type { DataSource } from 'typeorm';
import type Stripe from 'stripe';
import { subscriptionLive } from './subscription-states.js';
import { planAndStatusOf } from '../../tenants/index.js';

/**
 * Live usage sent to Stripe's meter for a customer whose subscription has no item on that meter
 * (none, ended, or set up by hand): Stripe accepts the meter events and bills them to no one. Only
 * tenants on a sold plan (one with prices) count: usage on an unsold plan (free) owes nothing. One
 * entry per such tenant with the seconds concerned (`usage`: usage's per-tenant meter totals).
 */
export async function unbilledUsage(db: DataSource, stripe: Stripe, meterId: string | null, usage: Map<string, { sent: number | null }>) {
  const all: { tenant_id: string; subscription: string | null }[] = await db.query(
    'SELECT a.tenant_id, a.stripe_subscription_id AS subscription FROM billing_accounts a ORDER BY a.tenant_id',
  );
  const sold = new Set(((await db.query('SELECT plan_code FROM billing_catalog')) as { plan_code: string }[]).map((c) => c.plan_code));
  const tenants = await planAndStatusOf(
    db,
    all.map((a) => a.tenant_id),
  );
  const accounts = all.filter((a) => {
    const plan = tenants.get(a.tenant_id)?.plan;
    return plan !== undefined && sold.has(plan);
  });
  const out: { tenant_id: string; seconds: number; reason: string }[] = [];
  for (const a of accounts) {
    const seconds = usage.get(a.tenant_id)?.sent ?? null;
    if (seconds === null) continue;
    const sub = a.subscription ? await stripe.subscriptions.retrieve(a.subscription) : null;
    const metered = sub?.items.data.some((i) => meterId !== null && i.price.recurring?.meter === meterId);
    if (sub && subscriptionLive(sub.status) && metered) continue;
    const reason = !sub
      ? 'the customer has no subscription'
      : !subscriptionLive(sub.status)
        ? `its subscription ${sub.id} is ${sub.status}`
        : `its subscription ${sub.id} has no item on the meter`;
    out.push({ tenant_id: a.tenant_id, seconds, reason });
  }
  return out;
}
