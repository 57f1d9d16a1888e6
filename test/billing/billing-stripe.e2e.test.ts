import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { startStripeStub, type StripeStub } from '../support/stripe-stub/server.js';
import { dataUri, makeImage } from '../support/images.js';
import { runCli } from '../../tools/cli/leoma.js';
import { until as waitUntil } from '../support/until.js';

let app: TestApp;
let stub: StripeStub;
const image = dataUri(makeImage('png', '64x64'));
const GRACE_MS = 1_500;

beforeAll(async () => {
  stub = await startStripeStub({ webhookSecret: 'whsec_e2e_secret' });
  app = await startTestApp({
    worker: true,
    backend: { maxConcurrency: 16 },
    env: {
      VIDEO_MAX_ATTEMPTS: '1',
      ...stub.serviceEnv(),
      BILLING_GRACE_MS: String(GRACE_MS),
      DUNNING_SWEEP_MS: '100',
      METER_RELAY_INTERVAL_MS: '100',
      METER_RELAY_BATCH: '25',
      METER_RETRY_BASE_MS: '50',
      METER_RETRY_MAX_MS: '200',
      // Ten test-key videos go at once below; the sandbox allows two by default.
      SANDBOX_CONCURRENT_VIDEOS: '10',
    },
  });
  stub.setWebhookTarget(`${app.url}/v1/stripe/webhooks`);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await stub?.close();
});

const until = <T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 30_000) => waitUntil(what, fn, timeoutMs, 100);

const admin = (path: string, init: RequestInit & { json?: unknown } = {}) => app.request(path, { ...init, key: app.operatorKey });
const account = async (tenantId: string) => (await app.sql('select * from billing_accounts where tenant_id = $1', [tenantId]))[0];

let tenantId: string;
let key: string;
let subscriptionId: string;

describe('Stripe billing against the stand-in', () => {
  it('syncs the catalogue idempotently', async () => {
    const first = await admin('/v1/admin/billing/sync-catalog', { method: 'POST' });
    expect(first.status).toBe(200);
    const body = (await first.json()) as { plans: { plan: string; changed: boolean }[]; meter_id: string };
    expect(body.plans.map((p) => p.plan)).toEqual(['enterprise', 'pro', 'starter']);
    expect(body.plans.every((p) => p.changed)).toBe(true);
    const again = (await (await admin('/v1/admin/billing/sync-catalog', { method: 'POST' })).json()) as typeof body;
    expect(again.plans.every((p) => !p.changed)).toBe(true);
    expect(again.meter_id).toBe(body.meter_id);
    // One meter for all seconds, one for the 720p overage (every default plan charges more for 720p).
    expect(stub.store.meter!.size).toBe(2);
    expect(stub.store.product!.size).toBe(4); // and the prepaid credit
    expect(stub.store.price!.size).toBe(10);
  });

  it('subscribes through Checkout: the completed session arrives as webhooks and the subscription is mirrored', async () => {
    ({ tenantId, key } = await app.tenant({ plan: 'pro', limits: { concurrent_videos: 200, requests_per_minute: 100_000 } }));
    const res = await app.request('/v1/billing/checkout', { method: 'POST', key, json: { plan: 'pro' } });
    expect(res.status).toBe(201);
    const session = (await res.json()) as { id: string; url: string };
    expect(session.url).toContain(`/checkout/${session.id}`);
    // What a person does in the browser: follow the URL and pay.
    expect((await fetch(session.url, { method: 'POST', redirect: 'manual' })).status).toBe(303);
    const acct = await until('subscription mirrored', async () => {
      const a = await account(tenantId);
      return a?.subscription_status === 'active' && a;
    });
    subscriptionId = acct.stripe_subscription_id;
    expect(acct.subscribed_plan).toBe('pro');
    const billing = (await (await app.request('/v1/billing', { key })).json()) as Record<string, any>;
    expect(billing).toMatchObject({
      object: 'billing',
      plan: 'pro',
      subscription: { id: subscriptionId, status: 'active' },
      standing: 'good',
      amount_due_so_far: { currency: 'usd', base: 9900, overage: 0 },
    });
    const again = await app.request('/v1/billing/checkout', { method: 'POST', key, json: { plan: 'pro' } });
    expect(again.status).toBe(409);
  });

  it('refuses a bad signature with 400 and stores nothing', async () => {
    const before = (await app.sql('select count(*)::int as n from stripe_events'))[0]!.n;
    const ev = stub.event('invoice.paid', { id: 'in_forged', object: 'invoice' });
    const res = await stub.send(ev, { secret: 'whsec_wrong' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('stripe_signature_invalid');
    const unsigned = await fetch(`${app.url}/v1/stripe/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ev),
    });
    expect(unsigned.status).toBe(400);
    expect((await app.sql('select count(*)::int as n from stripe_events'))[0]!.n).toBe(before);
  });

  it('bills exactly the 100 live successes: failed and test-key videos are never sent, and resends reuse the identifier', async () => {
    const { key: testKey } = await (async () => {
      const r = await admin(`/v1/admin/tenants/${tenantId}/api-keys`, { method: 'POST', json: { mode: 'test' } });
      return { key: ((await r.json()) as { secret: string }).secret };
    })();
    // Stripe accepts some events and the answer is lost: the relay cannot tell, and sends them again.
    stub.faultMeterEvents('accept_then_drop', 12);
    const submit = async (k: string) => {
      const r = await app.request('/v1/videos', { method: 'POST', key: k, json: { prompt: 'p', image, duration_seconds: 1 } });
      expect(r.status).toBe(202);
      return ((await r.json()) as { id: string }).id;
    };
    const live: string[] = [];
    for (let i = 0; i < 10; i++) live.push(...(await Promise.all(Array.from({ length: 10 }, () => submit(key)))));
    for (const id of live) {
      const v = await waitForStatus(app, key, id, ['succeeded', 'failed'], 120_000);
      expect(v.status, JSON.stringify(v.error)).toBe('succeeded');
    }
    const test = await Promise.all(Array.from({ length: 10 }, () => submit(testKey)));
    for (const id of test) expect((await waitForStatus(app, testKey, id, ['succeeded', 'failed'], 60_000)).status).toBe('succeeded');
    // Last, because twenty failures in a row open the backend's circuit.
    app.backend.configure({ failRate: 1 });
    const failed = await Promise.all(Array.from({ length: 20 }, () => submit(key)));
    for (const id of failed) expect((await waitForStatus(app, key, id, ['succeeded', 'failed'], 60_000)).status).toBe('failed');
    app.backend.configure({ failRate: 0 });

    await until(
      'all live usage sent',
      async () =>
        (await app.sql('select count(*)::int as n from usage_records where livemode and meter_sent_at is null'))[0]!.n === 0 && stub.meterEvents.size >= 100,
    );
    const rows = await app.sql('select video_id, livemode, meter_sent_at from usage_records order by video_id');
    expect(
      rows
        .filter((r) => r.livemode)
        .map((r) => r.video_id)
        .sort(),
    ).toEqual([...live].sort());
    expect(
      rows
        .filter((r) => !r.livemode)
        .map((r) => r.video_id)
        .sort(),
    ).toEqual([...test].sort());
    expect(rows.filter((r) => !r.livemode).every((r) => r.meter_sent_at === null)).toBe(true);
    expect([...stub.meterEvents.keys()].sort()).toEqual([...live].sort());
    expect(stub.meterEventCalls).toBeGreaterThan(100);
    const callsBefore = stub.meterEventCalls;

    // The state a crash between sending and marking leaves: sent to Stripe, not marked here.
    const crashed = live.slice(0, 5);
    await app.sql('update usage_records set meter_sent_at = null, meter_event_sent_at = null where video_id = any($1)', [crashed]);
    await until('resent', async () => (await app.sql('select count(*)::int as n from usage_records where livemode and meter_sent_at is null'))[0]!.n === 0);
    expect(stub.meterEventCalls).toBe(callsBefore + 5);
    expect(stub.meterEvents.size).toBe(100);
    const customer = (await account(tenantId)).stripe_customer_id;
    const total = [...stub.meterEvents.values()].filter((e) => e.payload.stripe_customer_id === customer).reduce((s, e) => s + Number(e.payload.value), 0);
    expect(total).toBe(100);

    const lag = (await (await admin('/v1/admin/billing/meter-lag')).json()) as Record<string, unknown>;
    expect(lag).toMatchObject({ unsent: 0, oldest_unsent_age_seconds: null });
  }, 300_000);

  it('books invoice.paid once, however often and in whatever order it arrives, and refunds and lost disputes negatively', async () => {
    const inv = await stub.openInvoice(subscriptionId, 9900);
    const { charge } = (await stub.payInvoice(inv.id)) as { charge: { id: string } };
    // Stripe redelivers: the same event three times, and a stale payment_failed after the payment.
    const paid = stub.event('invoice.paid', inv);
    const stale = stub.event('invoice.payment_failed', { ...inv, status: 'open' });
    for (const ev of [stale, paid, paid, stale, paid]) expect((await stub.send(ev)).status).toBe(200);
    await until('invoice booked', async () => (await app.sql(`select count(*)::int as n from stripe_events where processed_at is null`))[0]!.n === 0);
    const entries = () => app.sql('select kind, amount_minor, currency, stripe_object_id, stripe_invoice_id, tenant_id from revenue_entries order by id');
    expect(await entries()).toEqual([
      { kind: 'invoice_paid', amount_minor: '9900', currency: 'usd', stripe_object_id: inv.id, stripe_invoice_id: inv.id, tenant_id: tenantId },
    ]);
    expect((await account(tenantId)).past_due_since).toBeNull();

    const refund = await stub.refund(charge.id, 2500);
    const dispute = await stub.dispute(charge.id, 'lost');
    await until('refund and dispute booked', async () => (await entries()).length === 3);
    // The refund and the dispute are processed concurrently, so their order in the ledger is either.
    expect((await entries()).slice(1).sort((x, y) => x.kind.localeCompare(y.kind))).toEqual([
      { kind: 'dispute_lost', amount_minor: '-9900', currency: 'usd', stripe_object_id: dispute.id, stripe_invoice_id: inv.id, tenant_id: tenantId },
      { kind: 'refund', amount_minor: '-2500', currency: 'usd', stripe_object_id: refund.id, stripe_invoice_id: inv.id, tenant_id: tenantId },
    ]);
    const invoices = (await (await app.request('/v1/billing/invoices', { key })).json()) as { data: Record<string, unknown>[] };
    expect(invoices.data[0]).toMatchObject({
      id: inv.id,
      status: 'paid',
      amount_paid: 9900,
      hosted_invoice_url: expect.stringContaining(inv.id),
      invoice_pdf: expect.stringContaining('pdf'),
    });
  });

  it('dunning: a failed payment makes the tenant past_due (still served), suspends it after the grace, and paying resumes it', async () => {
    const inv = await stub.openInvoice(subscriptionId, 9900);
    await stub.failInvoice(inv.id);
    // subscription.updated and invoice.payment_failed are processed concurrently: wait for both.
    await until('past_due', async () => {
      const a = await account(tenantId);
      return a.past_due_since && a.subscription_status === 'past_due';
    });
    expect((await app.request('/v1/me', { key })).status).toBe(200);
    expect(((await (await app.request('/v1/billing', { key })).json()) as { standing: string }).standing).toBe('past_due');
    await until('suspended', async () => (await app.request('/v1/me', { key })).status === 403, GRACE_MS + 15_000);
    expect((await app.sql('select status from tenants where id = $1', [tenantId]))[0]!.status).toBe('suspended');

    await stub.payInvoice(inv.id);
    await until('resumed', async () => (await app.request('/v1/me', { key })).status === 200);
    const after = await account(tenantId);
    expect(after).toMatchObject({ past_due_since: null, suspended_for_nonpayment: false, subscription_status: 'active' });
    const actions = (
      await app.sql(
        `select action from audit_log where tenant_id = $1 and action like any(array['billing.%', 'tenant.suspended', 'tenant.resumed']) order by seq`,
        [tenantId],
      )
    ).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['billing.past_due', 'billing.grace_expired', 'tenant.suspended', 'tenant.resumed', 'billing.paid']));
    expect(actions.indexOf('tenant.suspended')).toBeLessThan(actions.indexOf('tenant.resumed'));
  }, 60_000);

  it("moves the subscription onto the new plan's prices when an operator changes the plan", async () => {
    expect((await admin(`/v1/admin/tenants/${tenantId}`, { method: 'PATCH', json: { plan: 'starter' } })).status).toBe(200);
    const catalog = (await app.sql(`select base_price_id, metered_price_id, surcharge_price_ids from billing_catalog where plan_code = 'starter'`))[0]!;
    await until('subscription on starter', async () => (await account(tenantId)).subscribed_plan === 'starter');
    const sub = stub.store.subscription!.get(subscriptionId)!;
    expect(sub.metadata.plan).toBe('starter');
    // Base, graduated overage, and starter's own 720p surcharge in place of pro's.
    expect(sub.items.data.map((i: { price: { id: string } }) => i.price.id).sort()).toEqual(
      [catalog.base_price_id, catalog.metered_price_id, catalog.surcharge_price_ids['720p']].sort(),
    );
    const audit = await app.sql(`select after from audit_log where tenant_id = $1 and action = 'billing.plan_changed'`, [tenantId]);
    expect(audit).toHaveLength(1);

    // Back and forth within Stripe's 24 h idempotency window: each change reaches Stripe, none is a replay of an earlier one.
    for (const plan of ['pro', 'starter']) {
      expect((await admin(`/v1/admin/tenants/${tenantId}`, { method: 'PATCH', json: { plan } })).status).toBe(200);
      await until(`subscription on ${plan}`, async () => (await account(tenantId)).subscribed_plan === plan);
      expect(stub.store.subscription!.get(subscriptionId)!.metadata.plan).toBe(plan);
    }
    expect(await app.sql(`select 1 from audit_log where tenant_id = $1 and action = 'billing.plan_changed'`, [tenantId])).toHaveLength(3);
  });

  it('gives invoice-billed tenants a send_invoice subscription with their net days', async () => {
    const created = await admin('/v1/admin/tenants', { method: 'POST', json: { name: 'Big Co', plan: 'enterprise', billing_mode: 'invoice', net_days: 45 } });
    const t = (await created.json()) as { id: string };
    const res = await admin(`/v1/admin/billing/tenants/${t.id}/subscription`, { method: 'POST' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { subscription: string };
    expect(stub.store.subscription!.get(body.subscription)).toMatchObject({
      collection_method: 'send_invoice',
      days_until_due: 45,
      metadata: { plan: 'enterprise', tenant_id: t.id },
    });
    const again = (await (await admin(`/v1/admin/billing/tenants/${t.id}/subscription`, { method: 'POST' })).json()) as { subscription: string };
    expect(again.subscription).toBe(body.subscription);
  });

  it('reconciliation reports zero gaps, then names a row deliberately left unsent', async () => {
    const period = new Date().toISOString().slice(0, 7);
    const cli = async () => {
      let out = '';
      const code = await runCli(
        ['billing', 'reconcile', '--period', period, '--json'],
        { LEOMA_API_URL: app.url, LEOMA_API_KEY: app.operatorKey },
        { out: (t) => (out += t), err: () => undefined },
      );
      return { code, report: JSON.parse(out) as Record<string, any> };
    };
    const { code, report: clean } = await cli();
    expect(code).toBe(0);
    expect(clean).toMatchObject({ succeeded_live_videos: 100, live_usage_rows: 100, meter_events_sent: 100, gaps: [] });
    const [victim] = await app.sql(`select video_id from usage_records where livemode order by video_id limit 1`);
    await app.sql(`update usage_records set meter_sent_at = null, meter_next_attempt_at = now() + interval '1 day' where video_id = $1`, [victim!.video_id]);
    const { code: gapCode, report: gapped } = await cli();
    expect(gapCode).toBe(1);
    expect(gapped.gaps).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'meter_event_unsent', video_id: victim!.video_id, tenant_id: tenantId })]),
    );
    const bad = await admin('/v1/admin/billing/reconcile?period=2026-13');
    expect(bad.status).toBe(400);
  });
});
