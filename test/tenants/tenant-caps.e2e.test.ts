import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';

// Per-tenant caps on what a tenant can make us store: webhook endpoints (which also bound the
// delivery rows each event writes) and uploaded files.
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ env: { WEBHOOK_MAX_ENDPOINTS_PER_TENANT: '2' } });
});
afterAll(() => app?.close());

const createEndpoint = (key: string) => app.request('/v1/webhook-endpoints', { method: 'POST', key, json: { url: 'https://8.8.8.8/hooks' } });

function upload(key: string) {
  const form = new FormData();
  form.set('file', new Blob([makeImage('png')], { type: 'image/png' }), 'x.png');
  return app.request('/v1/files', { method: 'POST', key, body: form });
}

describe('per-tenant caps', () => {
  it('refuses a webhook endpoint past the cap with 409 webhook_endpoint_limit_reached, even when requests race, and frees a slot on delete', async () => {
    const { key } = await app.tenant();
    const statuses = (await Promise.all([1, 2, 3, 4].map(() => createEndpoint(key)))).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 409, 409]);
    const refused = await createEndpoint(key);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ code: 'webhook_endpoint_limit_reached' });

    const list = (await (await app.request('/v1/webhook-endpoints', { key })).json()) as { data: { id: string }[] };
    expect(list.data).toHaveLength(2);
    await app.request(`/v1/webhook-endpoints/${list.data[0].id}`, { method: 'DELETE', key });
    expect((await createEndpoint(key)).status).toBe(201);

    // The cap is per tenant.
    const other = await app.tenant();
    expect((await createEndpoint(other.key)).status).toBe(201);
  });

  it("refuses an upload past the plan's daily cap with 429 file_upload_limit_reached, per tenant", async () => {
    const { key } = await app.tenant({ limits: { uploads_per_day: 2 } });
    expect((await upload(key)).status).toBe(201);
    expect((await upload(key)).status).toBe(201);
    const refused = await upload(key);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.json()).toMatchObject({ code: 'file_upload_limit_reached', limit: 2, period: 'day' });
    const other = await app.tenant({ limits: { uploads_per_day: 2 } });
    expect((await upload(other.key)).status).toBe(201);
  });

  it("refuses an upload past the plan's monthly cap, and the limits are the plan's (enterprise high)", async () => {
    const { key } = await app.tenant({ limits: { uploads_per_day: 100, uploads_per_month: 3 } });
    for (let i = 0; i < 3; i++) expect((await upload(key)).status).toBe(201);
    const refused = await upload(key);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'file_upload_limit_reached', limit: 3, period: 'month' });

    const plans = (await (await app.request('/v1/admin/plans', { key: app.operatorKey })).json()) as {
      data: { code: string; limits: Record<string, number> }[];
    };
    const limits = Object.fromEntries(plans.data.map((p) => [p.code, [p.limits.uploads_per_day, p.limits.uploads_per_month]]));
    expect(limits.free![0]).toBeLessThan(limits.enterprise![0]!);
    expect(limits.enterprise![1]).toBeGreaterThanOrEqual(1_000_000);
  });
});
