import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { startTestApp, createVideo, waitForStatus, type TestApp } from '../support/test-app.js';
import { startStripeStub, type StripeStub } from '../support/stripe-stub/server.js';
import { dataUri, makeImage } from '../support/images.js';
import { until as waitUntil } from '../support/until.js';

// Subscriptions decide the plan: Checkout, the portal (a change made at Stripe), a subscription
// that ends, a second one that should not exist, the billing period, and events out of order.

let app: TestApp;
let stub: StripeStub;
let stripe: Stripe;
const image = dataUri(makeImage('png', '64x64'));

beforeAll(async () => {
  stub = await startStripeStub({ webhookSecret: 'whsec_subs_secret' });
  stripe = new Stripe(stub.secretKey, stub.sdkOptions);
  app = await startTestApp({
    worker: true,
    env: { ...stub.serviceEnv(), METER_RELAY_INTERVAL_MS: '100', PLAN_CHANGE_SYNC_MS: '100', DUNNING_SWEEP_MS: '100', BILLING_GRACE_MS: String(3_600_000) },
  });
  stub.setWebhookTarget(`${app.url}/v1/stripe/webhooks`);
  expect((await admin('/v1/admin/billing/sync-catalog', { method: 'POST' })).status).toBe(200);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await stub?.close();
});

const until = <T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000) => waitUntil(what, fn, timeoutMs, 100);
const admin = (path: string, init: RequestInit & { json?: unknown } = {}) => app.request(path, { ...init, key: app.operatorKey });
const account = async (tenantId: string) => (await app.sql('select * from billing_accounts where tenant_id = $1', [tenantId]))[0];
const planOf = async (tenantId: string) => (await app.sql('select plan from tenants where id = $1', [tenantId]))[0]!.plan as string;
const catalog = async (plan: string) => (await app.sql('select * from billing_catalog where plan_code = $1', [plan]))[0]!;
const settled = () =>
  until('every Stripe event applied', async () => (await app.sql(`select count(*)::int as n from stripe_events where processed_at is null`))[0]!.n === 0);
/** Long enough for PlanChangeSync (every PLAN_CHANGE_SYNC_MS) to have run several times. */
const severalTicks = () => new Promise((r) => setTimeout(r, 1_000));

async function checkout(key: string, plan: string) {
  const res = await app.request('/v1/billing/checkout', { method: 'POST', key, json: { plan } });
  return { status: res.status, body: (await res.json()) as { id: string; url: string; code?: string } };
}

/** A tenant on `plan` that has paid for `bought` through Checkout; returns its live subscription. */
async function subscribed(plan: string, bought: string) {
  const t = await app.tenant({ plan });
  const { status, body } = await checkout(t.key, bought);
  expect(status).toBe(201);
  await stub.completeCheckout(body.id);
  const acct = await until('subscription mirrored', async () => {
    const a = await account(t.tenantId);
    return a?.subscription_status === 'active' && a;
  });
  return { ...t, subscriptionId: acct.stripe_subscription_id as string, customerId: acct.stripe_customer_id as string };
}

describe('the subscription decides the plan', () => {
  it('paying for pro through Checkout moves a starter tenant to pro, audited, and the plan sync leaves it there', async () => {
    const t = await subscribed('starter', 'pro');
    await until('tenant on pro', async () => (await planOf(t.tenantId)) === 'pro');
    await severalTicks();
    expect(await planOf(t.tenantId)).toBe('pro');
    const pro = await catalog('pro');
    const items = stub.store.subscription!.get(t.subscriptionId)!.items.data.map((i: { price: { id: string } }) => i.price.id);
    expect(items).toContain(pro.base_price_id);
    const audit = await app.sql(`select actor_id, before, after from audit_log where tenant_id = $1 and action = 'tenant.plan_changed'`, [t.tenantId]);
    expect(audit).toEqual([
      expect.objectContaining({ actor_id: 'stripe', before: expect.objectContaining({ plan: 'starter' }), after: expect.objectContaining({ plan: 'pro' }) }),
    ]);
    expect(await app.sql(`select 1 from audit_log where tenant_id = $1 and action = 'billing.plan_changed'`, [t.tenantId])).toHaveLength(0);
  });

  it('a free tenant paying for starter is on starter; metadata naming another plan changes nothing', async () => {
    const t = await subscribed('free', 'starter');
    await until('tenant on starter', async () => (await planOf(t.tenantId)) === 'starter');
    // The prices say starter; a plan written in metadata (by anyone with dashboard access) is not the subscription's plan.
    await stripe.subscriptions.update(t.subscriptionId, { metadata: { plan: 'enterprise' } });
    await settled();
    await severalTicks();
    expect(await planOf(t.tenantId)).toBe('starter');
  });

  it('a plan change made at Stripe (the portal) reaches the tenant, and is not moved back', async () => {
    const t = await subscribed('free', 'pro');
    await until('tenant on pro', async () => (await planOf(t.tenantId)) === 'pro');
    const starter = await catalog('starter');
    const sub = await stripe.subscriptions.retrieve(t.subscriptionId);
    const items = sub.items.data.map((i) =>
      i.price.metadata?.resolution
        ? { id: i.id, price: starter.surcharge_price_ids[i.price.metadata.resolution] }
        : { id: i.id, price: i.price.recurring?.usage_type === 'metered' ? starter.metered_price_id : starter.base_price_id },
    );
    await stripe.subscriptions.update(t.subscriptionId, { items });
    await until('tenant on starter', async () => (await planOf(t.tenantId)) === 'starter');
    await severalTicks();
    expect(await planOf(t.tenantId)).toBe('starter');
    expect(stub.store.subscription!.get(t.subscriptionId)!.items.data.map((i: { price: { id: string } }) => i.price.id)).toContain(starter.base_price_id);
  });

  it('checkout sells only self-serve plans: enterprise is refused with plan_not_self_serve', async () => {
    const t = await app.tenant({ plan: 'free' });
    const { status, body } = await checkout(t.key, 'enterprise');
    expect(status).toBe(422);
    expect(body.code).toBe('plan_not_self_serve');
    expect([...stub.store.checkout!.values()].filter((s) => s.client_reference_id === t.tenantId)).toHaveLength(0);
    // Free is self-serve but has no price: nothing to check out.
    const free = await checkout(t.key, 'free');
    expect(free).toMatchObject({ status: 422, body: { code: 'plan_not_for_sale' } });
    const plans = (await (await admin('/v1/admin/plans')).json()) as { data: { code: string; self_serve: boolean }[] };
    expect(Object.fromEntries(plans.data.map((p) => [p.code, p.self_serve]))).toEqual({ free: true, starter: true, pro: true, enterprise: false });
  });
});

describe('entitlement follows the subscription', () => {
  it('a canceled subscription returns the tenant to the free plan (no overage)', async () => {
    const t = await subscribed('free', 'pro');
    await until('tenant on pro', async () => (await planOf(t.tenantId)) === 'pro');
    await stripe.subscriptions.cancel(t.subscriptionId);
    await until('tenant on free', async () => (await planOf(t.tenantId)) === 'free');
    const me = (await (await app.request('/v1/me', { key: t.key })).json()) as { plan: string; limits: { overage_allowed: boolean } };
    expect(me).toMatchObject({ plan: 'free', limits: { overage_allowed: false } });
  });

  it('an unpaid subscription limits the tenant to free; paying it brings the plan back', async () => {
    const t = await subscribed('free', 'pro');
    await until('tenant on pro', async () => (await planOf(t.tenantId)) === 'pro');
    // Stripe's retries are over and the settings say "mark the subscription unpaid".
    const sub = stub.store.subscription!.get(t.subscriptionId)!;
    sub.status = 'unpaid';
    await stub.send(stub.event('customer.subscription.updated', sub));
    await until('tenant on free', async () => (await planOf(t.tenantId)) === 'free');
    await severalTicks();
    // Not moved onto free's (nonexistent) prices nor canceled: it can still be paid.
    expect(stub.store.subscription!.get(t.subscriptionId)).toMatchObject({ status: 'unpaid', cancel_at_period_end: false });
    sub.status = 'active';
    await stub.send(stub.event('customer.subscription.updated', sub));
    await until('tenant back on pro', async () => (await planOf(t.tenantId)) === 'pro');
  });

  it('an operator moving a paying tenant to free (not sold) cancels the subscription at period end, prices untouched', async () => {
    const t = await subscribed('free', 'pro');
    await until('tenant on pro', async () => (await planOf(t.tenantId)) === 'pro');
    const before = stub.store.subscription!.get(t.subscriptionId)!.items.data.map((i: { price: { id: string } }) => i.price.id);
    expect((await admin(`/v1/admin/tenants/${t.tenantId}`, { method: 'PATCH', json: { plan: 'free' } })).status).toBe(200);
    await until('cancel at period end', async () => stub.store.subscription!.get(t.subscriptionId)!.cancel_at_period_end === true);
    await settled();
    await severalTicks();
    expect(await planOf(t.tenantId)).toBe('free');
    expect(stub.store.subscription!.get(t.subscriptionId)!.items.data.map((i: { price: { id: string } }) => i.price.id)).toEqual(before);
    expect(await app.sql(`select 1 from audit_log where tenant_id = $1 and action = 'billing.subscription_cancel_scheduled'`, [t.tenantId])).toHaveLength(1);
    // Back on a sold plan before the period ends: the subscription no longer ends.
    expect((await admin(`/v1/admin/tenants/${t.tenantId}`, { method: 'PATCH', json: { plan: 'starter' } })).status).toBe(200);
    await until('renewing on starter', async () => {
      const sub = stub.store.subscription!.get(t.subscriptionId)!;
      return sub.cancel_at_period_end === false && sub.metadata.plan === 'starter';
    });
    await until('mirrored', async () => (await account(t.tenantId)).ending_for_plan === null);
    await settled();
    expect(await planOf(t.tenantId)).toBe('starter');
  });

  it('usage of a customer with no subscription item on the meter shows in reconciliation as unbilled', async () => {
    const t = await app.tenant({ plan: 'pro' });
    // A Stripe customer (the portal creates one) but no subscription: the relay sends its usage, and nobody is billed.
    expect((await app.request('/v1/billing/portal', { method: 'POST', key: t.key })).status).toBe(201);
    const id = await createVideo(app, t.key, image);
    expect((await waitForStatus(app, t.key, id, ['succeeded', 'failed'])).status).toBe('succeeded');
    await until('usage sent', async () => (await app.sql('select meter_sent_at from usage_records where video_id = $1', [id]))[0]?.meter_sent_at);
    const period = new Date().toISOString().slice(0, 7);
    const report = (await (await admin(`/v1/admin/billing/reconcile?period=${period}`)).json()) as { gaps: Record<string, unknown>[] };
    expect(report.gaps).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'usage_unbilled', tenant_id: t.tenantId })]));
  }, 60_000);
});

describe('one subscription per tenant', () => {
  it('a second checkout returns the open session for the same plan, and expires it first for another plan', async () => {
    const t = await app.tenant({ plan: 'free' });
    const a = await checkout(t.key, 'pro');
    const b = await checkout(t.key, 'pro');
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    const c = await checkout(t.key, 'starter');
    expect(c.status).toBe(201);
    expect(c.body.id).not.toBe(a.body.id);
    expect(stub.store.checkout!.get(a.body.id)!.status).toBe('expired');
    expect([...stub.store.checkout!.values()].filter((s) => s.client_reference_id === t.tenantId && s.status === 'open')).toHaveLength(1);
  });

  it('a second live subscription on the customer is flagged and canceled, never replacing the first', async () => {
    const t = await subscribed('free', 'pro');
    const pro = await catalog('pro');
    const second = await stripe.subscriptions.create({
      customer: t.customerId,
      items: [{ price: pro.base_price_id, quantity: 1 }, { price: pro.metered_price_id }],
    });
    await until('duplicate canceled', async () => stub.store.subscription!.get(second.id)!.status === 'canceled');
    await settled();
    expect(await account(t.tenantId)).toMatchObject({ stripe_subscription_id: t.subscriptionId, subscription_status: 'active' });
    expect(stub.store.subscription!.get(t.subscriptionId)!.status).toBe('active');
    const audit = await app.sql(`select after from audit_log where tenant_id = $1 and action = 'billing.duplicate_subscription'`, [t.tenantId]);
    expect(audit).toEqual([expect.objectContaining({ after: expect.objectContaining({ subscription: second.id, kept: t.subscriptionId }) })]);
  });
});

describe('one period everywhere', () => {
  it('Checkout anchors the subscription at the next UTC month start, the period the usage ledger uses', async () => {
    const now = new Date();
    const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) / 1000;
    const t = await app.tenant({ plan: 'free' });
    const { body } = await checkout(t.key, 'pro');
    expect(stub.store.checkout!.get(body.id)!._subscription_data).toMatchObject({
      billing_cycle_anchor: String(next),
      proration_behavior: 'create_prorations',
    });
    await stub.completeCheckout(body.id);
    const acct = await until('subscription mirrored', async () => {
      const a = await account(t.tenantId);
      return a?.subscription_status === 'active' && a;
    });
    expect(new Date(acct.current_period_end).getTime() / 1000).toBe(next);
    expect(stub.store.subscription!.get(acct.stripe_subscription_id)!.billing_cycle_anchor).toBe(next);
  });
});

describe('events out of order', () => {
  it('an older snapshot fetched first never commits last', async () => {
    const t = await subscribed('free', 'pro');
    await until('tenant on pro', async () => (await planOf(t.tenantId)) === 'pro');
    const old = stub.store.subscription!.get(t.subscriptionId)!;
    old.status = 'past_due';
    // The first read of the subscription answers late with the past_due state it read.
    let reads = 0;
    stub.outage('slow', { slowMs: 1_500, match: ({ method, path }) => method === 'GET' && path === `/v1/subscriptions/${t.subscriptionId}` && reads++ === 0 });
    await stub.send(stub.event('customer.subscription.updated', old));
    await until('first read held', async () => reads > 0);
    // Meanwhile the customer pays: Stripe's object is now active (a new object, so the held answer keeps the old one).
    const current = { ...structuredClone(old), status: 'active' };
    stub.store.subscription!.set(t.subscriptionId, current);
    await stub.send(stub.event('customer.subscription.updated', current));
    await new Promise((r) => setTimeout(r, 2_000));
    await settled();
    stub.outage(null);
    expect((await account(t.tenantId)).subscription_status).toBe('active');
  });

  it('a payment failure read before the invoice was paid never makes the paid tenant past_due', async () => {
    const t = await subscribed('free', 'pro');
    const inv = await stub.openInvoice(t.subscriptionId, 9900);
    await settled();
    // The worker's read of the invoice for invoice.payment_failed answers late, with the open invoice it read.
    let reads = 0;
    stub.outage('slow', { slowMs: 1_500, match: ({ method, path }) => method === 'GET' && path === `/v1/invoices/${inv.id}` && reads++ === 0 });
    await stub.failInvoice(inv.id);
    await until('first read held', async () => reads > 0);
    // Meanwhile the retry succeeds (a new object, so the held answer keeps the open one).
    stub.store.invoice!.set(inv.id, structuredClone(stub.store.invoice!.get(inv.id)!));
    await stub.payInvoice(inv.id);
    await new Promise((r) => setTimeout(r, 2_000));
    await settled();
    stub.outage(null);
    expect((await account(t.tenantId)).past_due_since).toBeNull();
  });

  it('a paid invoice ends dunning only when no other invoice is past due', async () => {
    const t = await subscribed('free', 'pro');
    const failed = await stub.openInvoice(t.subscriptionId, 9900);
    await stub.failInvoice(failed.id);
    await until('past_due', async () => (await account(t.tenantId)).past_due_since);
    const other = await stub.openInvoice(t.subscriptionId, 500);
    await stub.payInvoice(other.id);
    await until('other invoice booked', async () => (await app.sql(`select 1 from revenue_entries where stripe_invoice_id = $1`, [other.id])).length === 1);
    await settled();
    expect((await account(t.tenantId)).past_due_since).not.toBeNull();
    await stub.payInvoice(failed.id);
    await until('dunning over', async () => (await account(t.tenantId)).past_due_since === null);
  });
});
