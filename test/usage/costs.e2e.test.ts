import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { startStripeStub, type StripeStub } from '../support/stripe-stub/server.js';
import { pricingEnv } from '../../src/usage/pricing.env.js';
import { runCli } from '../../tools/cli/leoma.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { until as waitUntil } from '../support/until.js';

/**
 * What things cost, end to end: the real api + worker + reference backend, tenants with a few
 * included seconds so one- and two-second videos cross the boundary, and the Stripe stand-in for
 * the per-resolution catalogue and meter events.
 */
let app: TestApp;
let stub: StripeStub;
const image = dataUri(makeImage('png', '64x64'));
// 480p overage 3/s, 720p 5/s: Stripe gets a 480p-rate graduated price plus a 2/s 720p surcharge.
const PRICES = { enterprise: { base: 0, overage_per_second: 3, overage_per_second_by_resolution: { '720p': 5 } }, pro: { base: 9900, overage_per_second: 2 } };

beforeAll(async () => {
  stub = await startStripeStub({ webhookSecret: 'whsec_costs' });
  app = await startTestApp({
    worker: true,
    env: {
      VIDEO_MAX_ATTEMPTS: '1',
      BILLING_PLAN_PRICES: JSON.stringify(PRICES),
      ...stub.serviceEnv(),
      METER_RELAY_INTERVAL_MS: '100',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RELAY_INTERVAL_MS: '50',
    },
  });
  stub.setWebhookTarget(`${app.url}/v1/stripe/webhooks`);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await stub?.close();
});

type Json = Record<string, any>;
const get = async (path: string, key: string): Promise<Json> => {
  const res = await app.request(path, { key });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Json;
};
const post = (path: string, key: string, json: unknown) => app.request(path, { method: 'POST', key, json });
const body = (extra: Json = {}) => ({ prompt: 'p', duration_seconds: 1, ...extra });
/** Creates a video and waits for its end; returns the final video. */
async function render(key: string, extra: Json = {}): Promise<Json> {
  const res = await post('/v1/videos', key, { ...body(extra), image });
  expect(res.status).toBe(202);
  return waitForStatus(app, key, ((await res.json()) as Json).id, ['succeeded', 'failed', 'canceled'], 30_000);
}
const until = <T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 15_000) => waitUntil(what, fn, timeoutMs, 100);
/** The `leoma` CLI in this process, against this app, with the given key (the operator's unless told). */
async function leoma(args: string[], key = app.operatorKey): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { LEOMA_API_URL: app.url, LEOMA_API_KEY: key }, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}
/** Parses an export response: CSV into objects with numeric money and seconds. */
async function exported(res: Response, format: 'csv' | 'jsonl'): Promise<Json[]> {
  expect(res.status).toBe(200);
  const text = await res.text();
  if (format === 'jsonl')
    return text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Json);
  const [head, ...lines] = text.trim().split('\r\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], /^-?\d+$/.test(v) ? Number(v) : v])));
}

describe('prices and the cost of each video', () => {
  let key: string;
  let tenantId: string;

  it('lists the public prices from the same list Stripe is synced from, per resolution', async () => {
    const res = await app.request('/v1/pricing');
    expect(res.status).toBe(200);
    const pricing = (await res.json()) as Json;
    expect(pricing.plans.map((p: Json) => p.code)).toEqual(['pro', 'enterprise']);
    expect(pricing.plans[1]).toMatchObject({
      code: 'enterprise',
      currency: 'usd',
      base_amount: 0,
      included_video_seconds: 100000,
      overage_per_second: { '480p': 3, '720p': 5 },
      limits: { max_resolution: '720p' },
    });

    const sync = (await (await app.request('/v1/admin/billing/sync-catalog', { method: 'POST', key: app.operatorKey })).json()) as Json;
    const enterprise = sync.plans.find((p: Json) => p.plan === 'enterprise');
    const surcharge = stub.store.price!.get(enterprise.surcharge_prices['720p'])!;
    expect(surcharge).toMatchObject({ unit_amount: 2, currency: 'usd', lookup_key: 'leoma_enterprise_overage_720p_usd' });
    expect(stub.store.price!.get(enterprise.metered_price)!.tiers.map((t: Json) => t.unit_amount)).toEqual([0, 3]);
    expect(sync.plans.find((p: Json) => p.plan === 'pro').surcharge_prices).toEqual({});
  });

  it('charges the included seconds first, then overage at the resolution rate; the estimate equals the charge', async () => {
    ({ key, tenantId } = await app.tenant({ limits: { included_video_seconds: 3 } }));
    const first = await post('/v1/videos/estimate', key, body({ duration_seconds: 2 }));
    expect(first.status).toBe(200);
    expect(((await first.json()) as Json).cost).toEqual({ amount: 0, currency: 'usd', included_seconds_used: 2, overage_seconds: 0, unit_amount: 3 });
    const v1 = await render(key, { duration_seconds: 2 });
    expect(v1.cost).toEqual({ amount: 0, currency: 'usd', included_seconds_used: 2, overage_seconds: 0, credits_applied: 0, post_production_seconds: 0 });

    // 1 included second left: a 2 s 720p video crosses the boundary.
    const estimate = (await (await post('/v1/videos/estimate', key, body({ duration_seconds: 2, resolution: '720p' }))).json()) as Json;
    expect(estimate).toMatchObject({
      object: 'video_estimate',
      refused: null,
      cost: { amount: 5, included_seconds_used: 1, overage_seconds: 1, unit_amount: 5 },
      included_seconds: { included: 3, remaining_after: 0 },
    });
    const v2 = await render(key, { duration_seconds: 2, resolution: '720p' });
    expect(v2.status).toBe('succeeded');
    expect(v2.cost).toEqual({
      amount: estimate.cost.amount,
      currency: 'usd',
      included_seconds_used: 1,
      overage_seconds: 1,
      credits_applied: 0,
      post_production_seconds: 0,
    });

    // A test-mode video beside it: it costs nothing and uses none of the included seconds.
    const testKey = (
      (await (await app.request(`/v1/admin/tenants/${tenantId}/api-keys`, { method: 'POST', key: app.operatorKey, json: { mode: 'test' } })).json()) as Json
    ).secret as string;
    const [v3, testVideo] = await Promise.all([render(key), render(testKey)]);
    expect(testVideo.cost).toMatchObject({ amount: 0, included_seconds_used: 0, overage_seconds: 0 });
    expect(v3.cost).toMatchObject({ amount: 3, included_seconds_used: 0, overage_seconds: 1 });
    // Settling (a zero cost included) freed every slot and reserved second.
    expect((await get('/v1/usage', key)).concurrent_videos.active).toBe(0);

    // A batch estimate counts each video after the ones before it.
    const batch = (await (
      await post('/v1/videos/estimate/batch', key, { videos: [body(), body({ resolution: '720p', duration_seconds: 2 })] })
    ).json()) as Json;
    expect(batch.total).toEqual({ amount: 13, currency: 'usd', video_seconds: 3, included_seconds_used: 0, overage_seconds: 3 });
    expect((await post('/v1/videos/estimate', key, { duration_seconds: 'x' })).status).toBe(400);
    const tooLong = (await (await post('/v1/videos/estimate', key, body({ duration_seconds: 60 }))).json()) as Json;
    expect(tooLong.refused).toMatchObject({ status: 422, code: 'duration_not_allowed' });

    // Failed videos cost nothing.
    app.backend.configure({ failRate: 1 });
    const failed = await render(key);
    app.backend.configure({ failRate: 0 });
    expect(failed).toMatchObject({ status: 'failed', cost: { amount: 0, included_seconds_used: 0, overage_seconds: 0 } });

    // A later price change never rewrites a stored cost (the api runs in this process: reload its price list).
    process.env.BILLING_PLAN_PRICES = JSON.stringify({ ...PRICES, enterprise: { base: 0, overage_per_second: 7 } });
    pricingEnv.reload();
    try {
      expect((await (await post('/v1/videos/estimate', key, body({ resolution: '720p' }))).json()) as Json).toMatchObject({ cost: { amount: 7 } });
      expect((await get(`/v1/videos/${v2.id}`, key)).cost.amount).toBe(5);
    } finally {
      process.env.BILLING_PLAN_PRICES = JSON.stringify(PRICES);
      pricingEnv.reload();
    }
  });

  it("meters a dearer resolution's overage seconds on its own Stripe meter", async () => {
    const { key: k, tenantId } = await app.tenant({ limits: { included_video_seconds: 0 } });
    // A Stripe customer is what the relay needs (enterprise is not sold through Checkout; the portal makes the customer).
    expect((await post('/v1/billing/portal', k, {})).status).toBe(201);
    await until('customer', async () => (await app.sql('select 1 from billing_accounts where tenant_id = $1', [tenantId]))[0]);
    const v = await render(k, { resolution: '720p', duration_seconds: 2 });
    expect(v.cost).toMatchObject({ amount: 10, overage_seconds: 2 });
    const overage = await until('surcharge event', async () => stub.meterEvents.get(`${v.id}_overage`));
    expect(overage.payload.value).toBe('2');
    expect(overage.event_name).toBe('leoma_video_seconds_720p_overage');
    expect(stub.meterEvents.get(v.id)!.payload.value).toBe('2');

    // Buying credit through Checkout (payment mode): granted once, however often Stripe reports it.
    const buy = await post('/v1/billing/credits/checkout', k, { amount: 500 });
    expect(buy.status).toBe(201);
    const session = (await buy.json()) as Json;
    expect((await fetch(session.url, { method: 'POST', redirect: 'manual' })).status).toBe(303);
    await until('credit granted', async () => (await get('/v1/billing/credits', k)).available === 500);
    const replay = await stub.send(stub.event('checkout.session.completed', stub.store.checkout!.get(session.id)!));
    expect(replay.status).toBe(200);
    const paid = await render(k, { resolution: '720p' });
    expect(paid.cost).toMatchObject({ amount: 5, credits_applied: 5 });
    const credits = await get('/v1/billing/credits', k);
    expect(credits).toMatchObject({ available: 495 });
    expect(credits.grants).toHaveLength(1);
    expect(credits.grants[0]).toMatchObject({ source: 'purchase', amount: 500 });
    // Stripe invoices only what credit did not cover: the drawn credit goes on the customer's balance.
    const customer = (await app.sql('select stripe_customer_id from billing_accounts where tenant_id = $1', [tenantId]))[0]!.stripe_customer_id;
    await until('balance credit', async () => stub.store.customer!.get(customer)!.balance === -5);
    expect((await post('/v1/billing/credits/checkout', k, { amount: 1 })).status).toBe(400);
  });

  it('reports usage by period and group; the export sums to it and to the usage rows', async () => {
    const period = new Date().toISOString().slice(0, 7);
    // A live key's usage is live usage: the test-mode video is not in it.
    const usage = await get(`/v1/usage?period=${period}&group_by=resolution`, key);
    expect(usage).toMatchObject({ livemode: true, video_seconds: { used: 5 } });
    expect(usage.cost).toMatchObject({ amount: 8, currency: 'usd', overage_seconds: 2, videos: 3 });
    expect(usage.groups.map((g: Json) => [g.key, g.amount, g.video_seconds])).toEqual([
      ['480p', 3, 3],
      ['720p', 5, 2],
    ]);
    const byDay = await get(`/v1/usage?group_by=day`, key);
    expect(byDay.groups).toHaveLength(1);
    expect(byDay.groups[0].amount).toBe(8);
    const byKey = await get(`/v1/usage?group_by=api_key`, key);
    expect(byKey.groups.map((g: Json) => g.amount)).toEqual([8]);
    expect(byKey.api_key.amount).toBe(8);

    const from = `${period}-01T00:00:00Z`;
    const to = new Date(Date.now() + 60_000).toISOString();
    for (const format of ['csv', 'jsonl'] as const) {
      const rows = await exported(await app.request(`/v1/usage/export?format=${format}&from=${from}&to=${to}`, { key }), format);
      expect(rows.reduce((s, r) => s + r.amount, 0)).toBe(usage.cost.amount);
      expect(rows.reduce((s, r) => s + r.video_seconds, 0)).toBe(usage.video_seconds.used);
      const tenantId = rows[0]!.tenant_id;
      const db = await app.sql(
        'select video_id, amount_minor, video_seconds from usage_records where tenant_id = $1 and livemode order by created_at, video_id',
        [tenantId],
      );
      expect(rows.map((r) => [r.video_id, r.amount, r.video_seconds])).toEqual(db.map((r) => [r.video_id, r.amount_minor, r.video_seconds]));
    }
    const admin = await exported(await app.request(`/v1/admin/usage/export?format=jsonl&from=${from}&to=${to}`, { key: app.operatorKey }), 'jsonl');
    expect(admin.length).toBe((await app.sql('select count(*)::int as n from usage_records'))[0]!.n);
    const cli = await leoma(['usage', 'export', '--tenant', tenantId, '--format', 'jsonl', '--from', from, '--to', to]);
    expect(cli.code).toBe(0);
    expect(
      cli.out
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as Json).amount)
        .reduce((a, b) => a + b, 0),
    ).toBe(usage.cost.amount);
    expect((await app.request('/v1/usage/export?from=2026-13-01', { key })).status).toBe(400);
    expect((await app.request(`/v1/usage/export?from=${to}&to=${from}`, { key })).status).toBe(400);
    expect((await app.request('/v1/usage?period=2026-1', { key })).status).toBe(400);
    expect((await app.request('/v1/usage?group_by=model', { key })).status).toBe(400);
  });
});

describe('spend alerts and hard caps', () => {
  it('fires a threshold once when crossed twice, and a hard cap refuses the next video with nothing charged', async () => {
    const { key, tenantId } = await app.tenant({ limits: { included_video_seconds: 0 } });
    const receiver = await startWebhookReceiver();
    expect((await post('/v1/webhook-endpoints', key, { url: receiver.url, enabled_events: ['billing.threshold_reached'] })).status).toBe(201);
    const soft = await post('/v1/billing/alerts', key, { metric: 'amount', threshold: 3 });
    expect(soft.status).toBe(201);
    const alert = (await soft.json()) as Json;
    const cap = await leoma(['billing', 'alerts', 'add', '--metric', 'amount', '--threshold', '8', '--hard-cap', '--json'], key);
    expect(cap.code, cap.err).toBe(0);
    expect(JSON.parse(cap.out)).toMatchObject({ metric: 'amount', threshold: 8, hard_cap: true });
    expect((await post('/v1/billing/alerts', key, { metric: 'dollars', threshold: 8 })).status).toBe(400);
    expect((await post('/v1/billing/alerts', key, { metric: 'amount', threshold: -1 })).status).toBe(400);

    expect((await render(key)).cost.amount).toBe(3); // reaches 3: crossed
    expect((await render(key)).cost.amount).toBe(3); // 6: still over, no second event
    const [delivered] = await receiver.waitFor((r) => r.length >= 1);
    expect(delivered!.json).toMatchObject({
      type: 'billing.threshold_reached',
      data: {
        id: alert.id,
        object: 'billing_alert',
        alert: { metric: 'amount', threshold: 3, value: 3, hard_cap: false, period: new Date().toISOString().slice(0, 7) },
      },
    });
    const fired = await app.sql(`select data from events where tenant_id = $1 and type = 'billing.threshold_reached'`, [tenantId]);
    expect(fired).toHaveLength(1);

    // 6 spent + 3 would pass the cap of 8.
    const estimate = (await (await post('/v1/videos/estimate', key, body())).json()) as Json;
    expect(estimate.refused).toMatchObject({ status: 429, code: 'spend_cap_reached' });
    const videosBefore = (await app.sql('select count(*)::int as n from videos where tenant_id = $1', [tenantId]))[0]!.n;
    const refused = await post('/v1/videos', key, { ...body(), image });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as Json).code).toBe('spend_cap_reached');
    expect((await app.sql('select count(*)::int as n from videos where tenant_id = $1', [tenantId]))[0]!.n).toBe(videosBefore);
    const usage = await get('/v1/usage', key);
    expect(usage.cost.amount).toBe(6);
    // Settling released every reservation: nothing is held, no slot stays taken.
    expect(usage.video_seconds.reserved).toBe(0);
    expect(usage.concurrent_videos.active).toBe(0);
    const list = await get('/v1/billing/alerts', key);
    expect(list.data.map((a: Json) => a.fired_at !== null)).toEqual([true, false]);
    expect(list.period_amount).toBe(6);
    expect(receiver.received).toHaveLength(1);
    await receiver.close();
  });
});

describe('prepaid credits', () => {
  it('draws credits before overage is billed, and never from an expired grant', async () => {
    const { key, tenantId } = await app.tenant({ limits: { included_video_seconds: 0 } });
    const grant = (json: Json) => app.request(`/v1/admin/tenants/${tenantId}/credits`, { method: 'POST', key: app.operatorKey, json });
    expect((await grant({ amount: 100, expires_at: new Date(Date.now() + 1_000).toISOString(), note: 'promo' })).status).toBe(201);
    const deal = await leoma(['credits', 'grant', tenantId, '--amount', '4', '--note', 'deal', '--json']);
    expect(deal.code, deal.err).toBe(0);
    expect(JSON.parse(deal.out)).toMatchObject({ available: 104 });
    expect((await grant({ amount: 4, expires_at: '2020-01-01T00:00:00Z' })).status).toBe(400);
    expect((await grant({ amount: 0 })).status).toBe(400);
    await new Promise((r) => setTimeout(r, 1_200));

    const v1 = await render(key);
    expect(v1.cost).toMatchObject({ amount: 3, credits_applied: 3 });
    const v2 = await render(key);
    expect(v2.cost).toMatchObject({ amount: 3, credits_applied: 1 });
    const credits = await get('/v1/billing/credits', key);
    expect(credits).toMatchObject({ object: 'credit_balance', currency: 'usd', available: 0, expired: 100 });
    expect(
      credits.movements
        .filter((m: Json) => m.kind === 'drawn')
        .map((m: Json) => m.amount)
        .sort(),
    ).toEqual([-1, -3]);
    expect(credits.grants.find((g: Json) => g.note === 'promo')).toMatchObject({ remaining: 100, expired: true });
    expect((await get('/v1/usage', key)).cost).toMatchObject({ amount: 6, credits_applied: 4, billable: 2 });
  });
});
