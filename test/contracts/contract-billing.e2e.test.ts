import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { startStripeStub, type StripeStub } from '../support/stripe-stub/server.js';
import { runCli } from '../../tools/cli/leoma.js';
import { until as waitUntil } from '../support/until.js';
import { currentPeriod } from '../../src/usage/period.js';
import { ContractStripeSync } from '../../src/billing/contract-stripe-sync.service.js';

/**
 * Stripe follows the contract, and reconciliation in money proves it: the README's Megastore
 * (enterprise plan, 100,000 included seconds; a contract of 500,000 included seconds, a base fee,
 * a minimum commitment and a 10 % discount) uses a month of video-seconds across the free tier and
 * into overage; the Stripe stand-in closes the period, our worker adds the commitment true-up to
 * the draft, the stand-in finalises it, and the invoice equals our ledger to the cent. The same
 * month billed the way the code did before contracts (the 500,000 seconds as a limit override
 * only) fails the same check. The month's first 499,998 seconds are settled usage rows written
 * straight into the ledger (rendering half a million seconds is not a test); the relay meters them
 * to Stripe like any other row, and the last seconds are real videos priced by the real code.
 */
let app: TestApp;
let stub: StripeStub;
type Json = Record<string, any>;
const image = dataUri(makeImage('png', '64x64'));
const period = currentPeriod().id;

beforeAll(async () => {
  stub = await startStripeStub({ webhookSecret: 'whsec_contracts' });
  app = await startTestApp({
    worker: true,
    env: {
      VIDEO_MAX_ATTEMPTS: '1',
      ...stub.serviceEnv(),
      METER_RELAY_INTERVAL_MS: '100',
      METER_RETRY_BASE_MS: '200',
      METER_RETRY_MAX_MS: '400',
      STRIPE_TIMEOUT_MS: '1000',
      STRIPE_MAX_NETWORK_RETRIES: '0',
    },
  });
  stub.setWebhookTarget(`${app.url}/v1/stripe/webhooks`);
  expect((await call('POST', '/v1/admin/billing/sync-catalog')).status).toBe(200);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await stub?.close();
});

const call = async (method: string, path: string, json?: unknown, key = app.operatorKey) => {
  const res = await app.request(path, { method, key, json });
  return { status: res.status, body: (await res.json()) as Json };
};
const until = <T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 20_000) => waitUntil(what, fn, ms, 100);
async function render(key: string, extra: Json): Promise<Json> {
  const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, ...extra } });
  expect(res.status).toBe(202);
  const v = await waitForStatus(app, key, ((await res.json()) as Json).id, ['succeeded', 'failed', 'canceled'], 30_000);
  expect(v.status).toBe('succeeded');
  return v;
}
/** An invoice-billed enterprise tenant with a subscription (on the plan's catalogue prices) and a live key. */
async function customer(name: string, limits?: Json): Promise<{ tenantId: string; key: string; subscription: string }> {
  const t = await call('POST', '/v1/admin/tenants', { name, plan: 'enterprise', billing_mode: 'invoice', net_days: 30, limit_overrides: limits });
  expect(t.status).toBe(201);
  const sub = await call('POST', `/v1/admin/billing/tenants/${t.body.id}/subscription`);
  expect(sub.status).toBe(200);
  const key = await call('POST', `/v1/admin/tenants/${t.body.id}/api-keys`, { mode: 'live' });
  return { tenantId: t.body.id, key: key.body.secret, subscription: sub.body.subscription };
}
/** The first weeks of the month, already settled: included seconds, costing nothing. */
async function seedMonth(tenantId: string, seconds: number[]): Promise<void> {
  for (const [i, s] of seconds.entries()) {
    await app.sql(
      `insert into usage_records (video_id, tenant_id, video_seconds, livemode, resolution, amount_minor, included_seconds_used, overage_seconds, unit_amount_minor)
       values ($1, $2, $3, true, '480p', 0, $3, 0, 0)`,
      [`vid_seed_${tenantId}_${i}`, tenantId, s],
    );
  }
}
const allMetered = (tenantId: string) =>
  until(
    `${tenantId} metered`,
    async () => (await app.sql(`select count(*)::int as n from usage_records where tenant_id = $1 and meter_sent_at is null`, [tenantId]))[0]!.n === 0,
  );
/** Stripe closes the period; the worker adds what it must to the draft (the true-up); Stripe finalises it. */
async function invoiceMonth(subscription: string, trueUp: boolean): Promise<Json> {
  const draft = await stub.closePeriod(subscription);
  if (trueUp) await until('true-up on the draft', async () => draft.lines.data.some((l: Json) => l.parent.type === 'invoice_item_details'));
  else
    await until(
      'invoice.created handled',
      async () => (await app.sql(`select processed_at from stripe_events where object_id = $1 and type = 'invoice.created'`, [draft.id]))[0]?.processed_at,
    );
  return stub.finalizeInvoice(draft.id);
}
async function leoma(args: string[], key: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { LEOMA_API_URL: app.url, LEOMA_API_KEY: key }, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}
async function finance(): Promise<string> {
  const r = await call('POST', '/v1/admin/operators', { name: 'Fin', email: `fin-${Date.now()}@leoma.example`, role: 'finance' });
  return r.body.secret as string;
}

describe('Megastore: what sales agreed is what Stripe invoices', () => {
  let megastore: { tenantId: string; key: string; subscription: string };
  let overageVideo: string;

  it('the contract reaches Stripe as tenant prices, a discount coupon, once', async () => {
    megastore = await customer('Megastore');
    const c = await call('POST', `/v1/admin/tenants/${megastore.tenantId}/contract`, {
      effective_from: new Date().toISOString(),
      included_video_seconds: 500_000,
      base_amount: 100_000,
      overage_per_second: { '480p': 3, '720p': 5 },
      commitment_amount: 150_000,
      discount_bps: 1000,
      po_number: 'MS-PO-7',
      billing_email: 'ap@megastore.example',
      tax_ids: [{ type: 'eu_vat', value: 'NL123456789B01' }],
    });
    expect(c.status).toBe(201);
    await until(
      'contract at Stripe',
      async () =>
        (await app.sql(`select contract_version_synced from billing_accounts where tenant_id = $1`, [megastore.tenantId]))[0]?.contract_version_synced === 1,
    );
    const sub = stub.store.subscription!.get(megastore.subscription)!;
    const prices = sub.items.data.map((i: Json) => i.price);
    expect(prices.find((p: Json) => p.recurring.usage_type === 'licensed')).toMatchObject({
      unit_amount: 100_000,
      product: `leoma_contract_${megastore.tenantId}`,
    });
    expect(prices.find((p: Json) => p.billing_scheme === 'tiered')?.tiers).toEqual([
      expect.objectContaining({ up_to: 500_000, unit_amount: 0 }),
      expect.objectContaining({ up_to: null, unit_amount: 3 }),
    ]);
    expect(prices.find((p: Json) => p.metadata.resolution === '720p')).toMatchObject({ unit_amount: 2 });
    expect(sub.discounts).toHaveLength(1);
    expect(stub.store.coupon!.get(`leoma_ctr_${megastore.tenantId}_v1_discount`)).toMatchObject({ percent_off: 10, duration: 'forever' });
    expect(stub.subscriptionUpdates.filter((u) => u.subscription === megastore.subscription)).toHaveLength(1);
    const audit = await call('GET', `/v1/admin/audit-log?action=billing.contract_applied&tenant_id=${megastore.tenantId}`);
    expect(audit.body.data).toHaveLength(1);
  });

  it('a month across the free tier and into overage: the finalised invoice equals our ledger to the cent and money reconciliation is clean', async () => {
    // 10 cents of prepaid credit: the first overage draws it, Stripe gets it as a balance credit.
    expect((await call('POST', `/v1/admin/tenants/${megastore.tenantId}/credits`, { amount: 10 })).status).toBe(201);
    await seedMonth(megastore.tenantId, [249_999, 249_999]);
    const a = await render(megastore.key, { duration_seconds: 5 }); // 2 included, 3 over at 3 = 9 (credit pays 9)
    const b = await render(megastore.key, { duration_seconds: 2, resolution: '720p' }); // 2 over at 5 = 10 (credit pays 1)
    overageVideo = a.id;
    expect(a.cost).toMatchObject({ amount: 9, included_seconds_used: 2, overage_seconds: 3, credits_applied: 9 });
    expect(b.cost).toMatchObject({ amount: 10, included_seconds_used: 0, overage_seconds: 2, credits_applied: 1 });
    await allMetered(megastore.tenantId);
    // The tenant's own billing view speaks the contract too.
    const billing = (await call('GET', '/v1/billing', undefined, megastore.key)).body;
    expect(billing).toMatchObject({
      usage: { included_video_seconds: 500_000 },
      amount_due_so_far: { base: 100_000, overage: 9, credits_applied: 10, total: 100_009 },
    });
    const inv = await invoiceMonth(megastore.subscription, true);
    // base 100,000 + usage 19 (15 on the seconds price, 4 on the 720p surcharge) + true-up 49,981
    // − discount 10 % of base and usage per line (10,000 + 2 + 0) = 139,998; credit 10 → 139,988 due.
    expect(inv).toMatchObject({ subtotal: 150_000, total: 139_998, amount_due: 139_988, status: 'open' });
    expect(inv.total_discount_amounts[0].amount).toBe(10_002);
    const r = await call('GET', `/v1/admin/billing/reconcile/money?period=${period}`, undefined, await finance());
    expect(r.status).toBe(200);
    const check = r.body.invoices.find((i: Json) => i.invoice === inv.id);
    expect(check.stripe).toMatchObject({
      subtotal: 150_000,
      discount: 10_002,
      tax: 0,
      total: 139_998,
      credits: 10,
      lines: { base: 100_000, usage: 15, usage_720p: 4, commitment_true_up: 49_981 },
    });
    expect(check.ours).toEqual({
      subtotal: 150_000,
      discount: 10_002,
      total: 139_998,
      credits: 10,
      lines: { base: 100_000, usage: 15, usage_720p: 4, commitment_true_up: 49_981 },
    });
    expect(r.body.differences.filter((d: Json) => d.tenant_id === megastore.tenantId)).toEqual([]);
    const cli = await leoma(['billing', 'reconcile-money', '--period', period, '--json'], await finance());
    expect(JSON.parse(cli.out).invoices.map((i: Json) => i.invoice)).toContain(inv.id);
  });

  it('a video whose cost is changed in our database after the invoice is reported, named', async () => {
    await app.sql(`update usage_records set amount_minor = amount_minor + 7 where video_id = $1`, [overageVideo]);
    const cli = await leoma(['billing', 'reconcile-money', '--period', period, '--json'], await finance());
    expect(cli.code).toBe(1);
    const differences = (JSON.parse(cli.out).differences as Json[]).filter((d) => d.tenant_id === megastore.tenantId);
    expect(differences.find((d) => d.line === 'usage')).toMatchObject({ stripe: 15, ours: 22, videos: [{ video_id: overageVideo, amount: 16, expected: 9 }] });
    // Under the commitment floor a dearer video shrinks the true-up by as much: the subtotal stays, both lines differ.
    expect(differences.find((d) => d.line === 'commitment_true_up')).toMatchObject({ stripe: 49_981, ours: 49_974 });
    expect(await (await app.request('/metrics')).text()).toMatch(/leoma_billing_money_reconciliation_differences [1-9]/);
    await app.sql(`update usage_records set amount_minor = amount_minor - 7 where video_id = $1`, [overageVideo]);
  });

  it('the same month billed the way it was before contracts (500,000 seconds as a limit override only) fails the check', async () => {
    const old = await customer('Megastore (override only)', { included_video_seconds: 500_000 });
    await seedMonth(old.tenantId, [249_999, 249_999]);
    const v = await render(old.key, { duration_seconds: 5 });
    expect(v.cost).toMatchObject({ amount: 3, overage_seconds: 3 }); // our cost: 3 over at the plan's 1/s
    await allMetered(old.tenantId);
    const inv = await invoiceMonth(old.subscription, false);
    // Stripe's tier is the plan's 100,000 seconds: it bills 400,003 seconds our ledger calls included.
    expect(inv.lines.data.find((l: Json) => l.quantity === 500_003)?.amount).toBe(400_003);
    const r = await call('GET', `/v1/admin/billing/reconcile/money?period=${period}`);
    const usage = r.body.differences.find((d: Json) => d.tenant_id === old.tenantId && d.line === 'usage');
    expect(usage).toMatchObject({ stripe: 400_003, ours: 3 });
  });
});

describe('Stripe failing while a contract is applied', () => {
  it('is retried through the outage and applied once when Stripe answers, even when the first attempt was done but its answer lost', async () => {
    const t = await customer('Outage Co');
    const sync = app.worker!.get(ContractStripeSync);
    // Stripe refuses everything: nothing is applied, the attempt is recorded and retried later.
    stub.outage('unavailable');
    await call('POST', `/v1/admin/tenants/${t.tenantId}/contract`, {
      effective_from: new Date().toISOString(),
      included_video_seconds: 1000,
      base_amount: 5000,
      overage_per_second: { '480p': 2 },
      discount_bps: 500,
    });
    await until(
      'a failed attempt',
      async () => (await app.sql(`select contract_sync_attempts from billing_accounts where tenant_id = $1`, [t.tenantId]))[0]!.contract_sync_attempts >= 1,
    );
    expect(stub.subscriptionUpdates.filter((u) => u.subscription === t.subscription)).toHaveLength(0);
    // Then Stripe does the work but answers later than we wait: the same keys are sent again.
    stub.outage('slow', { slowMs: 1500, match: (c) => c.method === 'POST' && c.path === `/v1/subscriptions/${t.subscription}` });
    await until('attempted against the slow Stripe', async () => stub.subscriptionUpdates.some((u) => u.subscription === t.subscription), 10_000);
    stub.outage(null);
    await until(
      'applied',
      async () => (await app.sql(`select contract_version_synced from billing_accounts where tenant_id = $1`, [t.tenantId]))[0]?.contract_version_synced === 1,
    );
    await sync.tick();
    const updates = stub.subscriptionUpdates.filter((u) => u.subscription === t.subscription);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.idempotencyKey).toBe(`leoma-contract-${t.subscription}-v1`);
    const sub = stub.store.subscription!.get(t.subscription)!;
    expect(sub.items.data.find((i: Json) => i.price.recurring.usage_type === 'licensed').price.unit_amount).toBe(5000);
    expect((await app.sql(`select contract_sync_error from billing_accounts where tenant_id = $1`, [t.tenantId]))[0]!.contract_sync_error).toBeNull();
  });
});
