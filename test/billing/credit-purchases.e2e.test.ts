import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { startStripeStub, type StripeStub } from '../support/stripe-stub/server.js';
import { dataUri, makeImage } from '../support/images.js';
import { until as waitUntil } from '../support/until.js';

/**
 * Money that reaches us outside a subscription invoice, and money that goes back: prepaid credit
 * bought through Checkout (in our currency only, delayed payments credited when they succeed,
 * booked in the revenue ledger, clawed back on refund or a lost dispute), refunds and disputes of
 * invoices tied to their invoice the way Stripe links them (InvoicePayment, not charge metadata),
 * and Stripe events about objects that can never be fetched closed instead of retried forever.
 */
let app: TestApp;
let stub: StripeStub;
let stripe: Stripe;
const image = dataUri(makeImage('png', '64x64'));

beforeAll(async () => {
  stub = await startStripeStub({ webhookSecret: 'whsec_credit_purchases' });
  stripe = new Stripe(stub.secretKey, { ...stub.sdkOptions, maxNetworkRetries: 0 });
  app = await startTestApp({
    worker: true,
    env: {
      VIDEO_MAX_ATTEMPTS: '1',
      ...stub.serviceEnv(),
      METER_RELAY_INTERVAL_MS: '100',
      STRIPE_EVENT_RETRY_MS: '100',
    },
  });
  stub.setWebhookTarget(`${app.url}/v1/stripe/webhooks`);
  expect((await app.request('/v1/admin/billing/sync-catalog', { method: 'POST', key: app.operatorKey })).status).toBe(200);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await stub?.close();
});

type Json = Record<string, any>;
const until = <T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000) => waitUntil(what, fn, timeoutMs, 100);
const credits = async (key: string): Promise<Json> => (await app.request('/v1/billing/credits', { key })).json() as Promise<Json>;
const settled = () =>
  until('events processed', async () => (await app.sql('select count(*)::int as n from stripe_events where processed_at is null'))[0]!.n === 0);
const entries = (tenantId: string) =>
  app.sql('select kind, amount_minor, currency, stripe_object_id, stripe_invoice_id from revenue_entries where tenant_id = $1 order by id', [tenantId]);
const eventOf = async (type: string, objectId: string) =>
  (await app.sql('select * from stripe_events where type = $1 and object_id = $2', [type, objectId]))[0];

async function buy(key: string, amount: number): Promise<string> {
  const res = await app.request('/v1/billing/credits/checkout', { method: 'POST', key, json: { amount } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}
const chargeOf = async (sessionId: string) =>
  (await stripe.paymentIntents.retrieve(stub.store.checkout!.get(sessionId)!.payment_intent)).latest_charge as string;

describe('credit purchases', () => {
  it('refuses Adaptive Pricing, credits in our currency, and books the purchase in the revenue ledger', async () => {
    const { tenantId, key } = await app.tenant({ plan: 'pro' });
    const id = await buy(key, 700);
    expect(stub.store.checkout!.get(id)!.adaptive_pricing).toEqual({ enabled: false });
    // The customer would pick euros; without Adaptive Pricing they pay in dollars.
    await stub.completeCheckout(id, { presentmentCurrency: 'eur' });
    await until('credited', async () => (await credits(key)).available === 700);
    await settled();
    expect(await entries(tenantId)).toEqual([{ kind: 'credit_purchase', amount_minor: '700', currency: 'usd', stripe_object_id: id, stripe_invoice_id: null }]);
    // Stripe redelivers: nothing more is credited or booked.
    await stub.send(stub.event('checkout.session.completed', stub.store.checkout!.get(id)!));
    await settled();
    expect((await credits(key)).grants).toHaveLength(1);
    expect(await entries(tenantId)).toHaveLength(1);
  });

  it('credits nothing for a session paid in another currency, and flags it', async () => {
    const { tenantId, key } = await app.tenant({ plan: 'pro' });
    const presented = await buy(key, 600);
    // Stripe applied Adaptive Pricing all the same (a dashboard setting we did not override).
    stub.store.checkout!.get(presented)!.adaptive_pricing = { enabled: true };
    await stub.completeCheckout(presented, { presentmentCurrency: 'eur' });
    const other = await buy(key, 800);
    // The credit price is in euros (the catalogue and BILLING_CURRENCY disagree).
    const price = stub.store.price!.get(stub.store.checkout!.get(other)!._items[0].price)!;
    price.currency = 'eur';
    try {
      await stub.completeCheckout(other);
    } finally {
      price.currency = 'usd';
    }
    await settled();
    expect(await eventOf('checkout.session.completed', presented)).toMatchObject({
      outcome: 'unmatched',
      outcome_reason: expect.stringMatching(/eur.*not credited/),
    });
    expect(await eventOf('checkout.session.completed', other)).toMatchObject({
      outcome: 'unmatched',
      outcome_reason: expect.stringMatching(/eur.*not credited/),
    });
    expect((await credits(key)).grants).toEqual([]);
    expect(await entries(tenantId)).toEqual([]);
    const period = new Date().toISOString().slice(0, 7);
    const report = (await (await app.request(`/v1/admin/billing/reconcile?period=${period}`, { key: app.operatorKey })).json()) as { gaps: Json[] };
    expect(report.gaps.filter((g) => g.kind === 'stripe_event_unmatched' && [presented, other].some((s) => g.detail.includes(s)))).toHaveLength(2);
  });

  it('credits a delayed payment when it succeeds, and never one that fails', async () => {
    const { tenantId, key } = await app.tenant({ plan: 'pro' });
    const ok = await buy(key, 900);
    const bad = await buy(key, 500);
    await stub.completeCheckout(ok, { async: true });
    await stub.completeCheckout(bad, { async: true });
    await settled();
    expect((await credits(key)).available).toBe(0);
    await stub.settleAsyncPayment(ok, true);
    await stub.settleAsyncPayment(bad, false);
    await until('credited', async () => (await credits(key)).available === 900);
    await settled();
    expect((await eventOf('checkout.session.async_payment_failed', bad)).outcome).toBe('applied');
    expect((await credits(key)).grants).toHaveLength(1);
    expect(await entries(tenantId)).toEqual([{ kind: 'credit_purchase', amount_minor: '900', currency: 'usd', stripe_object_id: ok, stripe_invoice_id: null }]);
  });

  it('claws credit back on a refund, and on a lost dispute after it was spent leaves a debt the next purchase pays first', async () => {
    const { tenantId, key } = await app.tenant({ plan: 'pro', limits: { included_video_seconds: 0 } });
    const first = await buy(key, 700);
    await stub.completeCheckout(first);
    await until('credited', async () => (await credits(key)).available === 700);
    const refund = await stub.refund(await chargeOf(first), 200);
    await until('refund clawed back', async () => (await credits(key)).available === 500);
    // Spend some: a one-second overage video at pro's 2 a second.
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } });
    const video = await waitForStatus(app, key, ((await res.json()) as { id: string }).id, ['succeeded', 'failed'], 60_000);
    expect(video.cost).toMatchObject({ amount: 2, credits_applied: 2 });
    expect((await credits(key)).available).toBe(498);
    // The charge is disputed and lost: Stripe takes back its 700; the 500 of credit not yet refunded
    // is clawed back, 2 of it already spent: a debt of 2.
    const dispute = await stub.dispute(await chargeOf(first), 'needs_response');
    await settled();
    expect((await credits(key)).available).toBe(498);
    await stub.closeDispute(dispute.id, 'lost');
    await until('dispute clawed back', async () => (await credits(key)).available === -2);
    const balance = await credits(key);
    expect(balance.movements.map((m: Json) => [m.kind, m.amount]).sort()).toEqual([
      ['clawed_back', -200],
      ['clawed_back', -500],
      ['drawn', -2],
      ['granted', 700],
    ]);
    // Nothing can be drawn while in debt.
    const owed = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } });
    const unpaid = await waitForStatus(app, key, ((await owed.json()) as { id: string }).id, ['succeeded', 'failed'], 60_000);
    expect(unpaid.cost).toMatchObject({ amount: 2, credits_applied: 0 });
    // The next purchase pays the debt first.
    const second = await buy(key, 500);
    await stub.completeCheckout(second);
    await until('credited after debt', async () => (await credits(key)).available === 498);
    expect((await credits(key)).grants.map((g: Json) => g.remaining).sort((a: number, b: number) => a - b)).toEqual([0, 498]);
    await settled();
    expect((await entries(tenantId)).map((e) => [e.kind, e.amount_minor, e.stripe_object_id, e.stripe_invoice_id])).toEqual([
      ['credit_purchase', '700', first, null],
      ['refund', '-200', refund.id, null],
      ['dispute_lost', '-700', dispute.id, null],
      ['credit_purchase', '500', second, null],
    ]);
  }, 120_000);
});

describe('refunds and disputes of invoices, and events that can never apply', () => {
  it('finds the invoice of a refunded or disputed charge through its InvoicePayment (Stripe puts none on the charge)', async () => {
    const { tenantId, key } = await app.tenant({ plan: 'pro' });
    await buy(key, 500); // makes the tenant a Stripe customer
    const customer = (await app.sql('select stripe_customer_id from billing_accounts where tenant_id = $1', [tenantId]))[0]!.stripe_customer_id;
    const base = (await app.sql(`select base_price_id from billing_catalog where plan_code = 'pro'`))[0]!.base_price_id;
    const sub = await stripe.subscriptions.create({ customer, items: [{ price: base }] });
    const inv = await stub.openInvoice(sub.id, 9900);
    const { charge } = (await stub.payInvoice(inv.id)) as { charge: Json };
    expect(charge.metadata).toEqual({});
    const refund = await stub.refund(charge.id, 900);
    const dispute = await stub.dispute(charge.id, 'lost');
    await until('booked', async () => (await entries(tenantId)).length === 3);
    expect((await entries(tenantId)).map((e) => [e.kind, e.stripe_object_id, e.stripe_invoice_id]).sort()).toEqual([
      ['dispute_lost', dispute.id, inv.id],
      ['invoice_paid', inv.id, inv.id],
      ['refund', refund.id, inv.id],
    ]);
  });

  it('closes an event whose object Stripe does not have as unmatched, with the reason, instead of retrying it forever', async () => {
    const ev = stub.event('invoice.paid', { id: 'in_never_existed', object: 'invoice' });
    expect((await stub.send(ev)).status).toBe(200);
    const row = await until('closed', async () => {
      const r = (await app.sql('select * from stripe_events where id = $1', [ev.id]))[0];
      return r?.processed_at && r;
    });
    expect(row).toMatchObject({ outcome: 'unmatched', outcome_reason: expect.stringContaining("No such invoice: 'in_never_existed'"), last_error: null });
  });
});
