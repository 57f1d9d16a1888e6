import type { DataSource } from 'typeorm';
import type Stripe from 'stripe';
import { subscriptionLive } from './subscription-states.js';

/**
 * Live usage sent to Stripe's meter for a customer whose subscription has no item on that meter
 * (none, ended, or set up by hand): Stripe accepts the meter events and bills them to no one. Only
 * tenants on a sold plan (one with prices) count: usage on an unsold plan (free) owes nothing. One
 * entry per such tenant with the seconds concerned.
 */
export async function unbilledUsage(db: DataSource, stripe: Stripe, meterId: string | null, start: Date, end: Date) {
  const rows: { tenant_id: string; subscription: string | null; seconds: string }[] = await db.query(
    `SELECT a.tenant_id, a.stripe_subscription_id AS subscription, SUM(u.video_seconds) AS seconds
       FROM billing_accounts a JOIN tenants t ON t.id = a.tenant_id JOIN billing_catalog c ON c.plan_code = t.plan
       JOIN usage_records u ON u.tenant_id = a.tenant_id AND u.livemode AND u.meter_sent_at IS NOT NULL AND u.created_at >= $1 AND u.created_at < $2
      GROUP BY a.tenant_id, a.stripe_subscription_id ORDER BY a.tenant_id`,
    [start, end],
  );
  const out: { tenant_id: string; seconds: number; reason: string }[] = [];
  for (const r of rows) {
    const sub = r.subscription ? await stripe.subscriptions.retrieve(r.subscription) : null;
    const metered = sub?.items.data.some((i) => meterId !== null && i.price.recurring?.meter === meterId);
    if (sub && subscriptionLive(sub.status) && metered) continue;
    const reason = !sub ? 'the customer has no subscription' : !subscriptionLive(sub.status) ? `its subscription ${sub.id} is ${sub.status}` : `its subscription ${sub.id} has no item on the meter`;
    out.push({ tenant_id: r.tenant_id, seconds: Number(r.seconds), reason });
  }
  return out;
}
