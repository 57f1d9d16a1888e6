import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { startStripeStub, type StripeStub } from '../support/stripe-stub/server.js';
import { shapeDiff } from '../support/stripe-stub/shape-diff.js';

// STRIPE_FIXTURES: for a checkout that is not beside ../shared (a git worktree elsewhere).
const FIXTURES = process.env.STRIPE_FIXTURES ?? resolve(import.meta.dirname, '../../../shared/stripe/fixtures3.json');
const present = existsSync(FIXTURES);
if (!present) console.warn(`stripe stub fidelity: ${FIXTURES} is absent, skipping (see /work/shared/stripe/README.md)`);

let stub: StripeStub;
let stripe: Stripe;
beforeAll(async () => {
  stub = await startStripeStub();
  stripe = new Stripe(stub.secretKey, { ...stub.sdkOptions, maxNetworkRetries: 0 });
});
afterAll(() => stub?.close());

describe.skipIf(!present)('Stripe stand-in fidelity', () => {
  it("answers the real SDK with objects that have the keys and value types of Stripe's fixture of the same object", async () => {
    const fixtures = (JSON.parse(readFileSync(FIXTURES, 'utf8')) as { resources: Record<string, Record<string, any>> }).resources;
    // Drive every endpoint we call, the way our code calls it.
    const customer = await stripe.customers.create({ name: 'Acme', metadata: { tenant_id: 'ten_x' } });
    await stripe.customers.retrieve(customer.id);
    const product = await stripe.products.create({ id: 'leoma_plan_pro', name: 'Pro' });
    await stripe.products.update(product.id, { name: 'Pro plan' });
    const meter = await stripe.billing.meters.create({
      display_name: 'Video seconds',
      event_name: 'leoma_video_seconds',
      default_aggregation: { formula: 'sum' },
    });
    await stripe.billing.meters.list({ status: 'active' });
    const base = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 4900,
      recurring: { interval: 'month' },
      lookup_key: 'pro_base',
    });
    const metered = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      lookup_key: 'pro_overage',
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      tiers: [
        { up_to: 600, unit_amount: 0 },
        { up_to: 'inf', unit_amount: 2 },
      ],
      recurring: { interval: 'month', usage_type: 'metered', meter: meter.id },
    });
    await stripe.prices.list({ lookup_keys: ['pro_base', 'pro_overage'] });
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: base.id }, { price: metered.id }],
      collection_method: 'send_invoice',
      days_until_due: 30,
    });
    await stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]!.id, price: base.id }], proration_behavior: 'create_prorations' });
    await stripe.billing.meterEvents.create({
      event_name: 'leoma_video_seconds',
      identifier: 'vid_1',
      payload: { stripe_customer_id: customer.id, value: '5' },
    });
    await stripe.billing.meters.listEventSummaries(meter.id, { customer: customer.id, start_time: 0, end_time: 4_000_000_000 });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: base.id, quantity: 1 }, { price: metered.id }],
      success_url: 'https://example.com/ok',
      cancel_url: 'https://example.com/no',
    });
    await stub.completeCheckout(session.id);
    await stripe.checkout.sessions.retrieve(session.id);
    await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: 'https://example.com' });
    const inv = await stub.openInvoice(sub.id, 4900);
    const { charge } = (await stub.payInvoice(inv.id)) as { charge: { id: string; payment_intent: string } };
    await stripe.invoices.retrieve(inv.id);
    await stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: charge.payment_intent } });
    await stripe.invoices.list({ customer: customer.id });
    await stripe.charges.retrieve(charge.id);
    const refund = await stripe.refunds.create({ charge: charge.id, amount: 100 });
    await stripe.refunds.retrieve(refund.id);
    const dispute = await stub.dispute(charge.id, 'lost');
    await stripe.disputes.retrieve(dispute.id);
    stub.event('invoice.paid', inv);
    // A contract: a discount coupon on the subscription, a period closed into a draft (tiers over the
    // meter usage), a true-up invoice item on the draft, its lines read, then finalised.
    const coupon = await stripe.coupons.create({ id: 'ctr_discount', percent_off: 10, duration: 'forever' });
    await stripe.coupons.retrieve(coupon.id);
    await stripe.subscriptions.update(sub.id, { discounts: [{ coupon: coupon.id }], proration_behavior: 'none' });
    const draft = await stub.closePeriod(sub.id);
    await stripe.invoices.retrieve(draft.id);
    const item = await stripe.invoiceItems.create({
      customer: customer.id,
      invoice: draft.id,
      amount: 700,
      currency: 'usd',
      discountable: false,
      metadata: { kind: 'commitment_true_up' },
    });
    await stripe.invoiceItems.retrieve(item.id);
    await stripe.invoices.listLineItems(draft.id);
    const final = await stripe.invoices.finalizeInvoice(draft.id);
    expect(final).toMatchObject({ status: 'open', subtotal: 4900 + 700, total_discount_amounts: [{ amount: 490 }], total: 4900 + 700 - 490 });
    await stripe.subscriptions.cancel(sub.id);

    const seen = new Set<string>();
    const problems: string[] = [];
    for (const obj of stub.returned) {
      const fixture = fixtures[obj.object];
      expect(fixture, `no fixture for object ${obj.object}`).toBeDefined();
      seen.add(obj.object);
      problems.push(...shapeDiff(obj, fixture!, fixtures).map((p) => `${obj.object} ${obj.id ?? obj.identifier}: ${p}`));
    }
    expect([...new Set(problems)]).toEqual([]);
    expect([...seen].sort()).toEqual([
      'billing.meter',
      'billing.meter_event',
      'billing.meter_event_summary',
      'billing_portal.session',
      'charge',
      'checkout.session',
      'coupon',
      'customer',
      'dispute',
      'event',
      'invoice',
      'invoice_payment',
      'invoiceitem',
      'line_item',
      'price',
      'product',
      'refund',
      'subscription',
    ]);
  });

  it('the comparison catches a missing key and a wrong type', () => {
    const fixtures = { customer: { id: 'cus_1', object: 'customer', balance: 0, address: { city: 'x' } } };
    expect(shapeDiff({ id: 'cus_2', object: 'customer', address: { city: 3 } }, fixtures.customer, fixtures)).toEqual([
      'balance: missing',
      'address.city: number instead of string',
    ]);
  });
});

describe('Stripe stand-in errors', () => {
  it('answers with Stripe error bodies the SDK turns into typed errors', async () => {
    const err = await stripe.customers.retrieve('cus_nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const bad = new Stripe('sk_test_wrong', { ...stub.sdkOptions, maxNetworkRetries: 0 });
    await expect(bad.customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it('counts a resent meter event identifier once, even when the first answer was lost', async () => {
    const c = await stripe.customers.create({});
    await stripe.billing.meters.create({ display_name: 'm', event_name: 'dedupe_test', default_aggregation: { formula: 'sum' } });
    // The SDK retries a dropped connection once by itself; two drops make the caller see a failure.
    stub.faultMeterEvents('accept_then_drop', 2);
    await expect(
      stripe.billing.meterEvents.create({ event_name: 'dedupe_test', identifier: 'usage_1', payload: { stripe_customer_id: c.id, value: '3' } }),
    ).rejects.toThrow();
    await stripe.billing.meterEvents.create({ event_name: 'dedupe_test', identifier: 'usage_1', payload: { stripe_customer_id: c.id, value: '3' } });
    expect([...stub.meterEvents.values()].filter((e) => e.identifier === 'usage_1')).toHaveLength(1);
    expect(stub.meterEventCalls).toBeGreaterThanOrEqual(3);
  });
});

/**
 * What Stripe does not send, so code written against the stand-in cannot lean on it: no invoice in a
 * charge's metadata, the customer's currency only in presentment_details, a delayed payment's
 * session completing unpaid; and what Stripe forgets after 24 hours.
 */
describe('Stripe stand-in: what Stripe does not send, and what it forgets', () => {
  const creditPrice = async () => {
    const product = await stripe.products.create({ name: 'Credit' });
    return stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1 });
  };

  it('puts no invoice on the charge that paid it: the InvoicePayment of its PaymentIntent names the invoice', async () => {
    const customer = await stripe.customers.create({});
    const product = await stripe.products.create({ name: 'Plan' });
    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100, recurring: { interval: 'month' } });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const inv = await stub.openInvoice(sub.id, 100);
    const { charge } = (await stub.payInvoice(inv.id)) as { charge: { id: string } };
    const fetched = await stripe.charges.retrieve(charge.id);
    expect(fetched.metadata).toEqual({});
    expect(fetched.payment_intent).toMatch(/^pi_/);
    const payments = await stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: fetched.payment_intent as string } });
    expect(payments.data.map((p) => [p.invoice, p.status, p.amount_paid])).toEqual([[inv.id, 'paid', 100]]);
  });

  it("keeps a session in the prices' currency: the customer's is only in presentment_details, and only with Adaptive Pricing", async () => {
    const price = await creditPrice();
    const customer = await stripe.customers.create({});
    const make = (adaptive?: boolean) =>
      stripe.checkout.sessions.create({
        mode: 'payment',
        customer: customer.id,
        line_items: [{ price: price.id, quantity: 700 }],
        success_url: 'https://example.com',
        ...(adaptive === undefined ? {} : { adaptive_pricing: { enabled: adaptive } }),
      });
    const byDefault = await make();
    expect(byDefault.adaptive_pricing).toEqual({ enabled: true });
    const adaptive = await stub.completeCheckout(byDefault.id, { presentmentCurrency: 'eur' });
    expect(adaptive).toMatchObject({ currency: 'usd', amount_total: 700, presentment_details: { presentment_currency: 'eur' } });
    const refused = await make(false);
    expect(refused.adaptive_pricing).toEqual({ enabled: false });
    const plain = await stub.completeCheckout(refused.id, { presentmentCurrency: 'eur' });
    expect(plain).toMatchObject({ currency: 'usd', amount_total: 700 });
    expect(plain.presentment_details).toBeUndefined();
  });

  it("completes a delayed payment's session unpaid; async_payment_succeeded or _failed says how it ended", async () => {
    const price = await creditPrice();
    const customer = await stripe.customers.create({});
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 500 }],
      success_url: 'https://example.com',
    });
    const done = await stub.completeCheckout(session.id, { async: true });
    expect(done).toMatchObject({ status: 'complete', payment_status: 'unpaid', payment_intent: expect.stringMatching(/^pi_/) });
    expect((await stripe.paymentIntents.retrieve(done.payment_intent)).latest_charge).toBeNull();
    const paid = await stub.settleAsyncPayment(session.id, true);
    expect(paid.payment_status).toBe('paid');
    const pi = await stripe.paymentIntents.retrieve(done.payment_intent);
    expect(pi.status).toBe('succeeded');
    expect((await stripe.charges.retrieve(pi.latest_charge as string)).amount).toBe(500);
    const events = stub.returned.filter((o) => o.object === 'event').map((e) => e.type);
    expect(events).toContain('checkout.session.async_payment_succeeded');

    const other = await stripe.checkout.sessions.create({
      mode: 'payment',
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 500 }],
      success_url: 'https://example.com',
    });
    await stub.completeCheckout(other.id, { async: true });
    expect((await stub.settleAsyncPayment(other.id, false)).payment_status).toBe('unpaid');
  });

  it("forgets an idempotency key and a meter event identifier after 24 hours (the stand-in's clock)", async () => {
    const own = await startStripeStub();
    try {
      const sdk = new Stripe(own.secretKey, { ...own.sdkOptions, maxNetworkRetries: 0 });
      const a = await sdk.customers.create({ name: 'A' }, { idempotencyKey: 'k1' });
      own.clock.advance(23 * 3600_000);
      expect((await sdk.customers.create({ name: 'A' }, { idempotencyKey: 'k1' })).id).toBe(a.id);
      own.clock.advance(3600_000);
      expect((await sdk.customers.create({ name: 'A' }, { idempotencyKey: 'k1' })).id).not.toBe(a.id);
      expect(own.store.customer!.size).toBe(2);

      await sdk.billing.meters.create({ display_name: 'm', event_name: 'forget_test', default_aggregation: { formula: 'sum' } });
      const send = () =>
        sdk.billing.meterEvents.create({ event_name: 'forget_test', identifier: 'usage_x', payload: { stripe_customer_id: a.id, value: '4' } });
      await send();
      own.clock.advance(23 * 3600_000);
      await send();
      expect(own.meterEventsCounted.filter((e) => e.identifier === 'usage_x')).toHaveLength(1);
      own.clock.advance(3600_000);
      await send();
      expect(own.meterEventsCounted.filter((e) => e.identifier === 'usage_x')).toHaveLength(2);
      const [meter] = [...own.store.meter!.values()];
      const summary = await sdk.billing.meters.listEventSummaries(meter!.id, { customer: a.id, start_time: 0, end_time: 4_000_000_000 });
      expect(summary.data[0]!.aggregated_value).toBe(8);
    } finally {
      await own.close();
    }
  });
});
