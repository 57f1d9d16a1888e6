import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { runCli } from '../../tools/cli/leoma.js';
import { until } from '../support/until.js';

/**
 * Plans as data (price versions, grandfathering, retiring) and per-tenant contracts (rate card,
 * limits that follow it, versions mid-period, renewal onto a new price), through the admin API,
 * the CLI, /v1/pricing, estimates and the cost of real videos (api + worker + reference backend).
 * Every refusal is a 4xx with its code and leaves nothing written.
 */
let app: TestApp;
type Json = Record<string, any>;
const image = dataUri(makeImage('png', '64x64'));
const soon = (ms: number) => new Date(Date.now() + ms).toISOString();

beforeAll(async () => {
  app = await startTestApp({ worker: true, env: { VIDEO_MAX_ATTEMPTS: '1' } });
}, 120_000);
afterAll(async () => {
  await app?.close();
});

const call = async (method: string, path: string, json?: unknown, key = app.operatorKey) => {
  const res = await app.request(path, { method, key, json });
  return { status: res.status, body: (await res.json()) as Json };
};
async function leoma(args: string[], key = app.operatorKey): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { LEOMA_API_URL: app.url, LEOMA_API_KEY: key }, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}
async function operator(role: string): Promise<string> {
  const r = await call('POST', '/v1/admin/operators', { name: role, email: `${role}-${Date.now()}@leoma.example`, role });
  expect(r.status).toBe(201);
  return r.body.secret as string;
}
async function keyFor(tenantId: string): Promise<string> {
  const r = await call('POST', `/v1/admin/tenants/${tenantId}/api-keys`, { mode: 'live' });
  return r.body.secret as string;
}
const yours = async (key: string) => (await call('GET', '/v1/pricing', undefined, key)).body.yours as Json;
async function render(key: string, extra: Json = {}): Promise<Json> {
  const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', duration_seconds: 1, image, ...extra } });
  expect(res.status).toBe(202);
  return waitForStatus(app, key, ((await res.json()) as Json).id, ['succeeded', 'failed', 'canceled'], 30_000);
}
const LIMITS =
  'included_video_seconds=2 overage_allowed=true requests_per_minute=600 concurrent_videos=4 max_duration_seconds=10 max_resolution=720p max_batch_size=100 retention_days=30 queue_priority=5'.split(
    ' ',
  );

describe('plans as data', () => {
  it('sales creates a plan with its first price through the CLI; every role reads it; support may not create one', async () => {
    const made = await leoma(
      [
        'plans',
        'create',
        'scale',
        '--name',
        'Scale',
        ...LIMITS.flatMap((l) => ['--limit', l]),
        '--currency',
        'usd',
        '--base',
        '5000',
        '--overage',
        '480p=3',
        '--overage',
        '720p=5',
        '--json',
      ],
      await operator('sales'),
    );
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    const plan = JSON.parse(made.out) as Json;
    expect(plan.versions).toEqual([expect.objectContaining({ version: 1, base_amount: 5000, overage_per_second: { '480p': 3, '720p': 5 }, currency: 'usd' })]);
    const shown = await leoma(['plans', 'show', 'scale', '--json'], await operator('finance'));
    expect(JSON.parse(shown.out).limits.included_video_seconds).toBe(2);
    const support = await call('POST', '/v1/admin/plans', { code: 'nope', name: 'Nope', limits: plan.limits }, await operator('support'));
    expect(support).toMatchObject({ status: 403, body: { code: 'insufficient_role' } });
    const pricing = (await call('GET', '/v1/pricing')).body;
    expect(pricing.plans.find((p: Json) => p.code === 'scale')).toMatchObject({ base_amount: 5000, overage_per_second: { '480p': 3, '720p': 5 } });
    const audit = await call('GET', '/v1/admin/audit-log?action=plan.created');
    expect(audit.body.data.map((e: Json) => e.target.id)).toContain('scale');
  });

  it('refuses bad prices with stable codes and writes nothing', async () => {
    const price = { currency: 'usd', base_amount: 5000, overage_per_second: { '480p': 3 } };
    expect(await call('POST', '/v1/admin/plans/scale/versions', { ...price, effective_from: new Date(Date.now() - 3_600_000).toISOString() })).toMatchObject({
      status: 422,
      body: { code: 'plan_version_in_past' },
    });
    expect(await call('POST', '/v1/admin/plans/scale/versions', { ...price, currency: 'eur', effective_from: soon(5_000) })).toMatchObject({
      status: 422,
      body: { code: 'plan_currency_change' },
    });
    expect(await call('POST', '/v1/admin/plans/scale/versions', { ...price, base_amount: -1 })).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    expect(await call('POST', '/v1/admin/plans/scale/versions', { ...price, overage_per_second: { '480p': -2 } })).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    expect(await call('POST', '/v1/admin/plans/nope/versions', price)).toMatchObject({ status: 422, body: { code: 'plan_not_found' } });
    expect(await call('POST', '/v1/admin/plans/scale/versions', { ...price, overage_per_second: { '480p': 3, '720p': 2 } })).toMatchObject({
      status: 422,
      body: { code: 'plan_price_invalid' },
    });
    expect((await call('GET', '/v1/admin/plans/scale')).body.versions).toHaveLength(1);
  });

  it("a price change grandfathers the plan's subscribers: new tenants pay the new price, the old one keeps its own", async () => {
    const old = await app.tenant({ plan: 'scale' });
    expect(await yours(old.key)).toMatchObject({ source: 'plan_version', plan_version: 1, overage_per_second: { '480p': 3 } });
    const published = await leoma([
      'plans',
      'price',
      'scale',
      '--base',
      '6000',
      '--overage',
      '480p=4',
      '--overage',
      '720p=6',
      '--effective-from',
      new Date().toISOString(),
      '--json',
    ]);
    expect(published.code).toBe(0);
    const v2 = JSON.parse(published.out) as Json;
    expect(v2).toMatchObject({ version: 2, grandfathered: [old.tenantId] });
    // A version cannot start before (or with) the latest one.
    expect(
      await call('POST', '/v1/admin/plans/scale/versions', {
        currency: 'usd',
        base_amount: 1,
        overage_per_second: { '480p': 1 },
        effective_from: v2.effective_from,
      }),
    ).toMatchObject({ status: 409, body: { code: 'plan_version_overlap' } });

    const fresh = await app.tenant({ plan: 'scale' });
    expect(await yours(fresh.key)).toMatchObject({ source: 'plan_version', plan_version: 2, base_amount: 6000, overage_per_second: { '480p': 4, '720p': 6 } });
    expect(await yours(old.key)).toMatchObject({ source: 'plan_version', plan_version: 1, base_amount: 5000, overage_per_second: { '480p': 3, '720p': 5 } });

    // Real videos are costed at each one's own price: 2 included seconds, then overage.
    for (const t of [old, fresh]) {
      expect((await render(t.key, { duration_seconds: 2 })).cost.amount).toBe(0);
    }
    expect((await render(old.key)).cost).toMatchObject({ amount: 3, overage_seconds: 1 });
    expect((await render(fresh.key)).cost).toMatchObject({ amount: 4, overage_seconds: 1 });
  });

  it('a plan in use cannot be retired; an unused one can, and is then neither listed nor assignable', async () => {
    expect(await call('POST', '/v1/admin/plans/scale/retire')).toMatchObject({ status: 409, body: { code: 'plan_in_use' } });
    expect((await call('GET', '/v1/admin/plans/scale')).body.retired_at).toBeNull();
    const made = await call('POST', '/v1/admin/plans', { code: 'legacy', name: 'Legacy', limits: (await call('GET', '/v1/admin/plans/scale')).body.limits });
    expect(made.status).toBe(201);
    expect(await call('POST', '/v1/admin/plans', { code: 'legacy', name: 'Again', limits: made.body.limits })).toMatchObject({
      status: 409,
      body: { code: 'plan_exists' },
    });
    const retired = await leoma(['plans', 'retire', 'legacy', '--json']);
    expect(JSON.parse(retired.out).retired_at).toEqual(expect.any(String));
    expect((await call('GET', '/v1/admin/plans')).body.data.map((p: Json) => p.code)).not.toContain('legacy');
    expect(await call('POST', '/v1/admin/tenants', { name: 'Late', plan: 'legacy' })).toMatchObject({ status: 422, body: { code: 'plan_retired' } });
  });
});

describe('contracts per tenant', () => {
  let tenantId: string;
  let key: string;

  it("sales writes a contract: its rate card prices the tenant, its limits become the tenant's, finance reads it", async () => {
    ({ tenantId, key } = await app.tenant({ plan: 'enterprise' }));
    const sales = await operator('sales');
    const set = await leoma(
      [
        'contracts',
        'set',
        tenantId,
        '--effective-from',
        new Date().toISOString(),
        '--included',
        '3',
        '--overage',
        '480p=7',
        '--overage',
        '720p=9',
        '--base',
        '100000',
        '--commitment',
        '250000',
        '--discount-bps',
        '1000',
        '--term-start',
        new Date().toISOString(),
        '--term-end',
        soon(365 * 86_400_000),
        '--po',
        'PO-42',
        '--tax-id',
        'eu_vat:DE123456789',
        '--billing-email',
        'ap@megastore.example',
        '--limit',
        'concurrent_videos=7',
        '--json',
      ],
      sales,
    );
    expect(set.err).toBe('');
    const contract = JSON.parse(set.out) as Json;
    expect(contract).toMatchObject({
      version: 1,
      plan: 'enterprise',
      included_video_seconds: 3,
      overage_per_second: { '480p': 7, '720p': 9 },
      commitment_amount: 250000,
      discount_bps: 1000,
      po_number: 'PO-42',
      tax_ids: [{ type: 'eu_vat', value: 'DE123456789' }],
      billing_email: 'ap@megastore.example',
      activated_at: expect.any(String),
    });
    const tenant = (await call('GET', `/v1/admin/tenants/${tenantId}`)).body;
    expect(tenant.limits).toMatchObject({ included_video_seconds: 3, concurrent_videos: 7 });
    const read = await call('GET', `/v1/admin/tenants/${tenantId}/contract`, undefined, await operator('finance'));
    expect(read).toMatchObject({ status: 200, body: { current: { version: 1 }, data: [{ version: 1 }] } });
    expect(await call('POST', `/v1/admin/tenants/${tenantId}/contract`, { included_video_seconds: 1 }, await operator('finance'))).toMatchObject({
      status: 403,
      body: { code: 'insufficient_role' },
    });
    expect(await yours(key)).toMatchObject({
      source: 'contract',
      contract_version: 1,
      base_amount: 100000,
      included_video_seconds: 3,
      overage_per_second: { '480p': 7, '720p': 9 },
      commitment_amount: 250000,
      discount_bps: 1000,
    });
    // Estimates and costs use it: 3 included, then 7/s at 480p and 9/s at 720p.
    const est = await call('POST', '/v1/videos/estimate', { prompt: 'p', duration_seconds: 5, resolution: '720p', image }, key);
    expect(est.body.cost).toMatchObject({ amount: 18, included_seconds_used: 3, overage_seconds: 2, unit_amount: 9 });
    expect((await render(key, { duration_seconds: 3 })).cost.amount).toBe(0);
    expect((await render(key, { duration_seconds: 1, resolution: '720p' })).cost).toMatchObject({ amount: 9, overage_seconds: 1 });
    const audit = await call('GET', `/v1/admin/audit-log?action=contract.version_created&tenant_id=${tenantId}`);
    expect(audit.body.data).toHaveLength(1);
  });

  it('refuses a bad contract with a stable code and writes nothing', async () => {
    const post = (body: Json) => call('POST', `/v1/admin/tenants/${tenantId}/contract`, body);
    expect(await post({ discount_bps: 12_000, effective_from: soon(60_000) })).toMatchObject({
      status: 422,
      body: { code: 'contract_price_negative', errors: [{ param: 'discount_bps' }] },
    });
    expect(await post({ overage_per_second: { '720p': -1 }, base_amount: -5, effective_from: soon(60_000) })).toMatchObject({
      status: 422,
      body: { code: 'contract_price_negative' },
    });
    expect(await post({ commitment_amount: -1, effective_from: soon(60_000) })).toMatchObject({ status: 422, body: { code: 'contract_price_negative' } });
    expect(await post({ overage_per_second: { '480p': 5, '720p': 4 }, effective_from: soon(60_000) })).toMatchObject({
      status: 422,
      body: { code: 'contract_price_negative', errors: [{ param: 'overage_per_second.720p' }] },
    });
    expect(await post({ effective_from: new Date(Date.now() - 86_400_000).toISOString() })).toMatchObject({
      status: 422,
      body: { code: 'contract_effective_in_past' },
    });
    expect(await post({ currency: 'eur', effective_from: soon(60_000) })).toMatchObject({ status: 422, body: { code: 'contract_currency_change' } });
    expect(await post({ term_start: soon(10_000), term_end: soon(5_000), effective_from: soon(60_000) })).toMatchObject({
      status: 422,
      body: { code: 'contract_term_invalid' },
    });
    expect(await post({ plan: 'legacy', effective_from: soon(60_000) })).toMatchObject({ status: 422, body: { code: 'plan_retired' } });
    expect(await post({ billing_email: 'not an email' })).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    // Overlapping: a second version at a time, then one at or before it.
    expect((await post({ effective_from: soon(3_600_000) })).status).toBe(201);
    expect(await post({ effective_from: soon(1_800_000) })).toMatchObject({ status: 409, body: { code: 'contract_version_overlap' } });
    const versions = (await call('GET', `/v1/admin/tenants/${tenantId}/contract`)).body.data as Json[];
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect((await call('GET', `/v1/admin/tenants/${tenantId}`)).body.limits.included_video_seconds).toBe(3);
  });

  it('a change mid-period takes effect at its date: videos before it cost the old rate, after it the new one, and the limits follow', async () => {
    const t = await app.tenant({ plan: 'enterprise' });
    await call('POST', `/v1/admin/tenants/${t.tenantId}/contract`, {
      effective_from: new Date().toISOString(),
      included_video_seconds: 1,
      overage_per_second: { '480p': 2, '720p': 2 },
    });
    expect((await render(t.key, { duration_seconds: 2 })).cost).toMatchObject({ amount: 2, overage_seconds: 1 });
    const at = soon(2_000);
    const v2 = await call('POST', `/v1/admin/tenants/${t.tenantId}/contract`, {
      effective_from: at,
      included_video_seconds: 10,
      overage_per_second: { '480p': 5, '720p': 5 },
      limits: { concurrent_videos: 2 },
    });
    expect(v2).toMatchObject({ status: 201, body: { version: 2, activated_at: null } });
    expect(await yours(t.key)).toMatchObject({ contract_version: 1 });
    await until('v2 in force', async () => Date.now() > Date.parse(at), 5_000, 100);
    // The worker's loop runs every minute: the rate card is in force at once, the limits when the loop puts them on the tenant.
    expect(await yours(t.key)).toMatchObject({ contract_version: 2, overage_per_second: { '480p': 5 } });
    // Period usage so far is 2 s, so 8 more are included under v2.
    expect((await render(t.key, { duration_seconds: 1 })).cost).toMatchObject({ amount: 0, included_seconds_used: 1 });
    const { ContractsService } = await import('../../src/contracts/contracts.service.js');
    await app.worker!.get(ContractsService).activateDue({ type: 'system', id: 'test', requestId: null });
    expect((await call('GET', `/v1/admin/tenants/${t.tenantId}`)).body.limits).toMatchObject({ included_video_seconds: 10, concurrent_videos: 2 });
  });

  it('a contract on the list price keeps it through a plan price change, and renews onto the new price', async () => {
    const t = await app.tenant({ plan: 'scale' });
    const termEnd = soon(2_000);
    const c = await call('POST', `/v1/admin/tenants/${t.tenantId}/contract`, { effective_from: new Date().toISOString(), term_end: termEnd });
    // The first version takes the plan's price in force (version 2: base 6000, 480p 4).
    expect(c.body).toMatchObject({ base_amount: 6000, overage_per_second: { '480p': 4, '720p': 6 } });
    const v3 = await call('POST', '/v1/admin/plans/scale/versions', {
      currency: 'usd',
      base_amount: 7000,
      overage_per_second: { '480p': 5, '720p': 8 },
      effective_from: new Date().toISOString(),
    });
    expect(v3.status).toBe(201);
    expect(v3.body.grandfathered).not.toContain(t.tenantId); // a contract carries its own prices
    expect(await yours(t.key)).toMatchObject({ source: 'contract', base_amount: 6000, overage_per_second: { '480p': 4 } });
    const renewed = await leoma(['contracts', 'renew', t.tenantId, '--reprice', '--json']);
    expect(renewed.err).toBe('');
    const next = JSON.parse(renewed.out) as Json;
    expect(next).toMatchObject({
      version: 2,
      effective_from: new Date(termEnd).toISOString(),
      term_start: new Date(termEnd).toISOString(),
      base_amount: 7000,
      overage_per_second: { '480p': 5, '720p': 8 },
    });
    expect(await yours(t.key)).toMatchObject({ contract_version: 1, base_amount: 6000 });
    await until('renewal in force', async () => Date.now() > Date.parse(termEnd), 5_000, 100);
    expect(await yours(t.key)).toMatchObject({ contract_version: 2, base_amount: 7000, overage_per_second: { '480p': 5 } });
    expect(await call('POST', '/v1/admin/tenants/ten_nobody/contract/renew', {})).toMatchObject({ status: 404 });
  });
});
