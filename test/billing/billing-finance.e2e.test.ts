import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryRunner } from 'typeorm';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startStripeStub, type StripeStub } from '../support/stripe-stub/server.js';
import * as O from '../support/stripe-stub/objects.js';
import { runCli } from '../../tools/cli/leoma.js';
import { RevenueLedgerService } from '../../src/billing/index.js';
import { BillingWriteScope1795920373879 } from '../../migrations/1795920373879-billing-write-scope.js';
import { until as waitUntil } from '../support/until.js';

/**
 * What finance and operators see of billing, on the real api + worker + Stripe stand-in, without
 * videos: the revenue ledger (list, filters, cursor, CSV, summary, CLI), the billing standing in
 * /v1/me, the billing:write scope, and Stripe events that no tenant owns.
 */
let app: TestApp;
let stub: StripeStub;

beforeAll(async () => {
  stub = await startStripeStub({ webhookSecret: 'whsec_finance' });
  app = await startTestApp({
    worker: true,
    env: {
      ...stub.serviceEnv(),
      // Dunning must not suspend anyone while this file looks at past_due.
      BILLING_GRACE_MS: String(3_600_000),
      DUNNING_SWEEP_MS: '1000',
    },
  });
  stub.setWebhookTarget(`${app.url}/v1/stripe/webhooks`);
  expect((await admin('/v1/admin/billing/sync-catalog', { method: 'POST' })).status).toBe(200);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await stub?.close();
});

const until = <T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000) => waitUntil(what, fn, timeoutMs, 100);

const admin = (path: string, init: RequestInit & { json?: unknown; key?: string } = {}) => app.request(path, { key: app.operatorKey, ...init });
const json = async (res: Response) => (await res.json()) as Record<string, any>;
const idle = () =>
  until('events processed', async () => (await app.sql('select count(*)::int as n from stripe_events where processed_at is null'))[0]!.n === 0);
const operator = async (role: string) =>
  (
    (await json(await admin('/v1/admin/operators', { method: 'POST', json: { name: role, email: `${role}-${Date.now()}@leoma.test`, role } }))) as {
      secret: string;
    }
  ).secret;

/** A self-serve tenant subscribed through Checkout, as a person would. */
async function subscribed(key: string, tenantId: string): Promise<string> {
  const res = await app.request('/v1/billing/checkout', { method: 'POST', key, json: { plan: 'pro' } });
  expect(res.status).toBe(201);
  expect((await fetch((await json(res)).url, { method: 'POST', redirect: 'manual' })).status).toBe(303);
  return until(
    'subscription mirrored',
    async () =>
      (await app.sql('select stripe_subscription_id from billing_accounts where tenant_id = $1 and subscription_status = $2', [tenantId, 'active']))[0]
        ?.stripe_subscription_id,
  );
}

let usd: { tenantId: string; key: string };
let eur: { tenantId: string; key: string };
let usdSub: string;
const period = new Date().toISOString().slice(0, 7);

describe('billing:write', () => {
  it('opens checkout and the portal; billing:read alone does not, and keys that had keys:manage keep the power', async () => {
    const reader = await app.tenant({ plan: 'pro', scopes: ['billing:read'] });
    const refused = await app.request('/v1/billing/checkout', { method: 'POST', key: reader.key, json: { plan: 'pro' } });
    expect(refused.status).toBe(403);
    expect(await json(refused)).toMatchObject({ code: 'insufficient_scope', required_scopes: ['billing:write'] });
    expect((await app.request('/v1/billing/portal', { method: 'POST', key: reader.key })).status).toBe(403);

    usd = await app.tenant({ plan: 'pro', scopes: ['billing:read', 'billing:write'] });
    usdSub = await subscribed(usd.key, usd.tenantId);
    expect((await app.request('/v1/billing/portal', { method: 'POST', key: usd.key })).status).toBe(201);

    // The upgrade: a key that could open checkout through keys:manage gets billing:write, no other key changes.
    const manager = await app.tenant({ scopes: ['keys:manage', 'videos:read'] });
    const up = (q: string) => app.sql(q).then(() => undefined);
    await new BillingWriteScope1795920373879().up({ query: up } as unknown as QueryRunner);
    await new BillingWriteScope1795920373879().up({ query: up } as unknown as QueryRunner);
    const scopes = async (keyId: string) => (await app.sql('select scopes from api_keys where id = $1', [keyId]))[0]!.scopes;
    expect(await scopes(manager.keyId)).toEqual(['keys:manage', 'videos:read', 'billing:write']);
    expect(await scopes(reader.keyId)).toEqual(['billing:read']);
  });
});

describe('GET /v1/me', () => {
  it('shows past_due with its start while a payment is failing, and active once paid', async () => {
    const me = async () => (await json(await app.request('/v1/me', { key: usd.key }))).tenant.billing;
    expect(await me()).toMatchObject({ mode: 'self_serve', standing: 'active', past_due_since: null });
    const inv = await stub.openInvoice(usdSub, 9900);
    await stub.failInvoice(inv.id);
    const since = (await until(
      'past_due',
      async () => (await app.sql('select past_due_since from billing_accounts where tenant_id = $1', [usd.tenantId]))[0]!.past_due_since,
    )) as Date;
    // The api caches the standing with the tenant's keys; the worker's invalidation message after its commit drops it.
    await until('past_due on /v1/me', async () => (await me()).standing === 'past_due');
    expect(await me()).toEqual(expect.objectContaining({ standing: 'past_due', past_due_since: since.toISOString() }));
    const { charge } = (await stub.payInvoice(inv.id)) as { charge: { id: string } };
    await until('paid', async () => (await me()).standing === 'active');
    await stub.refund(charge.id, 2500);
    await idle();
  });
});

describe('the revenue ledger for finance', () => {
  let entries: Record<string, any>[];

  beforeAll(async () => {
    eur = await app.tenant({ plan: 'pro' });
    const eurSub = await subscribed(eur.key, eur.tenantId);
    stub.store.subscription!.get(eurSub)!.currency = 'eur';
    await stub.payInvoice((await stub.openInvoice(eurSub, 5000)).id);
    await until('three entries', async () => (await app.sql('select count(*)::int as n from revenue_entries'))[0]!.n === 3);
    // Two rows in an earlier month, one of them carrying text a spreadsheet would run as a formula.
    const db = app.api.get(DataSource, { strict: false });
    const ledger = app.api.get(RevenueLedgerService, { strict: false });
    await db.transaction(async (tx) => {
      await ledger.record(tx, {
        tenantId: usd.tenantId,
        kind: 'invoice_paid',
        amountMinor: 1200,
        currency: 'usd',
        stripeObjectId: '=HYPERLINK("http://evil.test","x")',
        occurredAt: new Date('2025-03-10T12:00:00Z'),
      });
      await ledger.record(tx, {
        tenantId: usd.tenantId,
        kind: 'dispute_lost',
        amountMinor: -700,
        currency: 'usd',
        stripeObjectId: 'dp_old',
        occurredAt: new Date('2025-03-20T12:00:00Z'),
      });
    });
    entries = (await json(await admin('/v1/admin/revenue?limit=100'))).data;
  });

  it('lists entries newest first with every field, and filters by tenant, kind, currency, time and period', async () => {
    expect(entries.map((e) => [e.kind, e.amount_minor, e.currency])).toEqual([
      ['dispute_lost', -700, 'usd'],
      ['invoice_paid', 1200, 'usd'],
      ['invoice_paid', 5000, 'eur'],
      ['refund', -2500, 'usd'],
      ['invoice_paid', 9900, 'usd'],
    ]);
    expect(entries[4]).toMatchObject({
      object: 'revenue_entry',
      tenant_id: usd.tenantId,
      stripe_object_id: expect.stringMatching(/^in_/),
      stripe_invoice_id: expect.stringMatching(/^in_/),
      period_start: expect.any(String),
      occurred_at: expect.any(String),
    });
    const ids = async (q: string) => (await json(await admin(`/v1/admin/revenue?${q}`))).data.map((e: { id: string }) => e.id);
    expect(await ids(`tenant_id=${eur.tenantId}`)).toEqual([entries[2]!.id]);
    expect(await ids('kind=refund')).toEqual([entries[3]!.id]);
    expect(await ids('currency=EUR')).toEqual([entries[2]!.id]);
    expect(await ids('period=2025-03')).toEqual([entries[0]!.id, entries[1]!.id]);
    expect(await ids(`period=${period}&currency=usd`)).toEqual([entries[3]!.id, entries[4]!.id]);
    expect(await ids('occurred_from=2025-03-15T00:00:00Z&occurred_to=2025-04-01T00:00:00Z')).toEqual([entries[0]!.id]);
  });

  it('pages with cursors both ways', async () => {
    const page = async (q: string) => json(await admin(`/v1/admin/revenue?limit=2&${q}`));
    const first = await page('');
    const second = await page(`starting_after=${first.data[1].id}`);
    const third = await page(`starting_after=${second.data[1].id}`);
    expect([first.has_more, second.has_more, third.has_more]).toEqual([true, true, false]);
    expect([...first.data, ...second.data, ...third.data].map((e) => e.id)).toEqual(entries.map((e) => e.id));
    expect((await page(`ending_before=${third.data[0].id}`)).data.map((e: { id: string }) => e.id)).toEqual(second.data.map((e: { id: string }) => e.id));
  });

  it('exports CSV for ?format=csv or Accept: text/csv, oldest first, with formula cells neutralised', async () => {
    const res = await admin('/v1/admin/revenue?format=csv&currency=usd');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,tenant_id,kind,amount_minor,currency,stripe_object_id,stripe_invoice_id,period_start,period_end,occurred_at,created_at');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(
      entries
        .filter((e) => e.currency === 'usd')
        .map((e) => e.id)
        .reverse(),
    );
    expect(lines).toContainEqual(expect.stringContaining(`,invoice_paid,1200,usd,"'=HYPERLINK(""http://evil.test"",""x"")",,`));
    expect(lines).toContainEqual(expect.stringContaining(',refund,-2500,usd,'));
    const byAccept = await admin('/v1/admin/revenue?period=2025-03', { headers: { accept: 'text/csv' } });
    expect(byAccept.headers.get('content-disposition')).toBe('attachment; filename="leoma-revenue-2025-03.csv"');
    expect((await byAccept.text()).trimEnd().split('\r\n')).toHaveLength(3);
  });

  it('sums a month per currency: gross, refunds, disputes, net and counts', async () => {
    const now = await json(await admin(`/v1/admin/revenue/summary?period=${period}`));
    expect(now).toMatchObject({ object: 'revenue_summary', period, tenant_id: null });
    expect(now.currencies).toEqual([
      { currency: 'eur', gross_minor: 5000, refunds_minor: 0, disputes_minor: 0, net_minor: 5000, count: 1, invoices_paid: 1, refunds: 0, disputes_lost: 0 },
      {
        currency: 'usd',
        gross_minor: 9900,
        refunds_minor: -2500,
        disputes_minor: 0,
        net_minor: 7400,
        count: 2,
        invoices_paid: 1,
        refunds: 1,
        disputes_lost: 0,
      },
    ]);
    const old = await json(await admin(`/v1/admin/revenue/summary?period=2025-03&tenant_id=${usd.tenantId}`));
    expect(old.currencies).toEqual([
      { currency: 'usd', gross_minor: 1200, refunds_minor: 0, disputes_minor: -700, net_minor: 500, count: 2, invoices_paid: 1, refunds: 0, disputes_lost: 1 },
    ]);
    expect((await json(await admin('/v1/admin/revenue/summary?period=2024-01'))).currencies).toEqual([]);
  });

  it('is for finance and admins only, and answers bad filters with 400', async () => {
    expect((await admin('/v1/admin/revenue', { key: await operator('finance') })).status).toBe(200);
    expect((await admin('/v1/admin/revenue', { key: await operator('support') })).status).toBe(403);
    expect((await app.request('/v1/admin/revenue', { key: usd.key })).status).toBe(403);
    for (const q of ['kind=payout', 'currency=us', 'period=2026-13', 'occurred_from=yesterday', 'format=xml', 'limit=0']) {
      const res = await admin(`/v1/admin/revenue?${q}`);
      expect(res.status, q).toBe(400);
      expect((await json(res)).code, q).toBe('validation_failed');
    }
    expect((await admin('/v1/admin/revenue/summary')).status).toBe(400);
  });

  it('reads through the CLI: list, summary and export', async () => {
    const leoma = async (...args: string[]) => {
      let out = '';
      const code = await runCli(args, { LEOMA_API_URL: app.url, LEOMA_API_KEY: app.operatorKey }, { out: (t) => (out += t), err: () => undefined });
      return { code, out };
    };
    const list = await leoma('revenue', 'list', '--kind', 'refund', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out).data.map((e: { id: string }) => e.id)).toEqual([entries[3]!.id]);
    const summary = await leoma('revenue', 'summary', '--period', period, '--json');
    expect(JSON.parse(summary.out).currencies.map((c: { net_minor: number }) => c.net_minor)).toEqual([5000, 7400]);
    const csv = await leoma('revenue', 'export', '--period', '2025-03');
    expect(csv.out.split('\r\n')).toHaveLength(3);
    expect((await leoma('revenue', 'summary', '--period', 'March')).code).not.toBe(0);
  });
});

describe('Stripe events no tenant owns', () => {
  it('are closed as unmatched with a reason (not retried), listed for operators and named by reconcile', async () => {
    const stranger = O.customer({ metadata: {} });
    stub.store.customer!.set(stranger.id, stranger);
    const sub = O.subscription({ customer: stranger.id, metadata: {} });
    stub.store.subscription!.set(sub.id, sub);
    const inv = Object.assign(O.invoice({ customer: stranger.id, amount_due: 4200 }), { status: 'paid', amount_paid: 4200 });
    stub.store.invoice!.set(inv.id, inv);
    const sent = [stub.event('customer.subscription.created', sub), stub.event('invoice.paid', inv), stub.event('customer.created', stranger)];
    for (const ev of sent) expect((await stub.send(ev)).status).toBe(200);
    await idle();

    const rows = await app.sql('select id, outcome, outcome_reason, attempts, last_error from stripe_events where id = any($1) order by id', [
      sent.map((e) => e.id),
    ]);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.attempts === 1 && r.last_error === null)).toBe(true);
    expect((await app.sql('select count(*)::int as n from revenue_entries where stripe_object_id = $1', [inv.id]))[0]!.n).toBe(0);

    const unmatched = await json(await admin('/v1/admin/billing/events?status=unmatched', { key: await operator('support') }));
    expect(unmatched.data.map((e: { id: string }) => e.id).sort()).toEqual([sent[0]!.id, sent[1]!.id].sort());
    expect(unmatched.data.find((e: { id: string }) => e.id === sent[1]!.id)).toMatchObject({
      object: 'stripe_event',
      type: 'invoice.paid',
      object_id: inv.id,
      status: 'unmatched',
      reason: `Stripe customer ${stranger.id} belongs to no tenant`,
    });
    const ignored = await json(await admin('/v1/admin/billing/events?status=ignored'));
    expect(ignored.data).toEqual([expect.objectContaining({ id: sent[2]!.id, reason: 'event type customer.created is not handled' })]);
    const applied = await json(await admin('/v1/admin/billing/events?status=applied&limit=2'));
    const next = await json(await admin(`/v1/admin/billing/events?status=applied&limit=2&starting_after=${applied.data[1].id}`));
    expect(next.data.map((e: { id: string }) => e.id)).not.toContain(applied.data[0].id);
    expect(new Date(next.data[0].received_at) <= new Date(applied.data[1].received_at)).toBe(true);
    expect((await admin('/v1/admin/billing/events?status=lost')).status).toBe(400);

    const report = await json(await admin(`/v1/admin/billing/reconcile?period=${period}`));
    expect(report.gaps).toEqual([
      expect.objectContaining({ kind: 'stripe_event_unmatched', tenant_id: null, event_id: sent[0]!.id }),
      expect.objectContaining({ kind: 'stripe_event_unmatched', tenant_id: null, event_id: sent[1]!.id, detail: expect.stringContaining(inv.id) }),
    ]);
  });
});
