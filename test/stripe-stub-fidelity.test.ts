import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { startStripeStub, type StripeStub } from './support/stripe-stub/server.js';
import { shapeDiff } from './support/stripe-stub/shape-diff.js';

const FIXTURES = resolve(import.meta.dirname, '../../shared/stripe/fixtures3.json');
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
  it('answers the real SDK with objects that have the keys and value types of Stripe\'s fixture of the same object', async () => {
    const fixtures = (JSON.parse(readFileSync(FIXTURES, 'utf8')) as { resources: Record<string, Record<string, any>> }).resources;
    // Drive every endpoint we call, the way our code calls it.
    const customer = await stripe.customers.create({ name: 'Acme', metadata: { tenant_id: 'ten_x' } });
    await stripe.customers.retrieve(customer.id);
    const product = await stripe.products.create({ id: 'leoma_plan_pro', name: 'Pro' });
    await stripe.products.update(product.id, { name: 'Pro plan' });
    const meter = await stripe.billing.meters.create({ display_name: 'Video seconds', event_name: 'leoma_video_seconds', default_aggregation: { formula: 'sum' } });
    await stripe.billing.meters.list({ status: 'active' });
    const base = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 4900, recurring: { interval: 'month' }, lookup_key: 'pro_base' });
    const metered = await stripe.prices.create({
      product: product.id, currency: 'usd', lookup_key: 'pro_overage', billing_scheme: 'tiered', tiers_mode: 'graduated',
      tiers: [{ up_to: 600, unit_amount: 0 }, { up_to: 'inf', unit_amount: 2 }], recurring: { interval: 'month', usage_type: 'metered', meter: meter.id },
    });
    await stripe.prices.list({ lookup_keys: ['pro_base', 'pro_overage'] });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: base.id }, { price: metered.id }], collection_method: 'send_invoice', days_until_due: 30 });
    await stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]!.id, price: base.id }], proration_behavior: 'create_prorations' });
    await stripe.billing.meterEvents.create({ event_name: 'leoma_video_seconds', identifier: 'vid_1', payload: { stripe_customer_id: customer.id, value: '5' } });
    await stripe.billing.meters.listEventSummaries(meter.id, { customer: customer.id, start_time: 0, end_time: 4_000_000_000 });
    const session = await stripe.checkout.sessions.create({ mode: 'subscription', customer: customer.id, line_items: [{ price: base.id, quantity: 1 }, { price: metered.id }], success_url: 'https://example.com/ok', cancel_url: 'https://example.com/no' });
    await stub.completeCheckout(session.id);
    await stripe.checkout.sessions.retrieve(session.id);
    await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: 'https://example.com' });
    const inv = await stub.openInvoice(sub.id, 4900);
    const { charge } = (await stub.payInvoice(inv.id)) as { charge: { id: string } };
    await stripe.invoices.retrieve(inv.id);
    await stripe.invoices.list({ customer: customer.id });
    await stripe.charges.retrieve(charge.id);
    const refund = await stripe.refunds.create({ charge: charge.id, amount: 100 });
    await stripe.refunds.retrieve(refund.id);
    const dispute = await stub.dispute(charge.id, 'lost');
    await stripe.disputes.retrieve(dispute.id);
    stub.event('invoice.paid', inv);
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
    expect([...seen].sort()).toEqual(['billing.meter', 'billing.meter_event', 'billing.meter_event_summary', 'billing_portal.session', 'charge', 'checkout.session', 'customer', 'dispute', 'event', 'invoice', 'price', 'product', 'refund', 'subscription']);
  });

  it('the comparison catches a missing key and a wrong type', () => {
    const fixtures = { customer: { id: 'cus_1', object: 'customer', balance: 0, address: { city: 'x' } } };
    expect(shapeDiff({ id: 'cus_2', object: 'customer', address: { city: 3 } }, fixtures.customer, fixtures)).toEqual(['balance: missing', 'address.city: number instead of string']);
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
    await expect(stripe.billing.meterEvents.create({ event_name: 'dedupe_test', identifier: 'usage_1', payload: { stripe_customer_id: c.id, value: '3' } })).rejects.toThrow();
    await stripe.billing.meterEvents.create({ event_name: 'dedupe_test', identifier: 'usage_1', payload: { stripe_customer_id: c.id, value: '3' } });
    expect([...stub.meterEvents.values()].filter((e) => e.identifier === 'usage_1')).toHaveLength(1);
    expect(stub.meterEventCalls).toBeGreaterThanOrEqual(3);
  });
});
