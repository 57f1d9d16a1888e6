import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let sales: string;
let finance: string;

beforeAll(async () => {
  app = await startTestApp();
  const staff = async (role: string) => {
    const res = await app.request('/v1/admin/operators', { method: 'POST', key: app.operatorKey, json: { name: role, email: `${role}@leoma.test`, role } });
    expect(res.status).toBe(201);
    return ((await res.json()) as { secret: string }).secret;
  };
  [sales, finance] = await Promise.all([staff('sales'), staff('finance')]);
});
afterAll(() => app?.close());

const call = async (key: string, method: string, path: string, json?: unknown) => {
  const res = await app.request(path, { method, key, json });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('enterprise provisioning', () => {
  it('sales creates an invoiced enterprise tenant with custom limits and its first key', async () => {
    const created = await call(sales, 'POST', '/v1/admin/tenants', {
      name: 'Megastore',
      plan: 'enterprise',
      billing_mode: 'invoice',
      net_days: 45,
      limit_overrides: { concurrent_videos: 200, included_video_seconds: 500_000 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      object: 'tenant',
      status: 'active',
      plan: 'enterprise',
      billing: { mode: 'invoice', net_days: 45 },
      limits: { concurrent_videos: 200, included_video_seconds: 500_000, requests_per_minute: 6000 },
    });
    const key = await call(sales, 'POST', `/v1/admin/tenants/${created.body.id}/api-keys`, { name: 'prod' });
    expect(key.status).toBe(201);
    const me = await call(key.body.secret, 'GET', '/v1/me');
    expect(me.body.limits).toMatchObject({ concurrent_videos: 200 });
  });

  it('refuses an unknown plan and invoice billing without net days', async () => {
    expect((await call(sales, 'POST', '/v1/admin/tenants', { name: 'x', plan: 'platinum' })).body.code).toBe('plan_not_found');
    const noTerms = await call(sales, 'POST', '/v1/admin/tenants', { name: 'x', billing_mode: 'invoice' });
    expect(noTerms.status).toBe(400);
    expect(noTerms.body.errors[0].param).toBe('net_days');
    expect((await call(sales, 'POST', '/v1/admin/tenants', { name: 'x', limit_overrides: { concurrent_videos: -1 } })).status).toBe(400);
  });

  it('changes plan and overrides, and a new limit reaches existing keys at once', async () => {
    const { tenantId, key } = await app.tenant({ plan: 'free' });
    expect((await call(key, 'GET', '/v1/me')).body.limits.max_duration_seconds).toBe(5);
    const patched = await call(sales, 'PATCH', `/v1/admin/tenants/${tenantId}`, { plan: 'pro', limit_overrides: { max_duration_seconds: 8 } });
    expect(patched.body).toMatchObject({ plan: 'pro', limits: { max_duration_seconds: 8, concurrent_videos: 10 } });
    expect((await call(key, 'GET', '/v1/me')).body).toMatchObject({ plan: 'pro', limits: { max_duration_seconds: 8 } });
    const cleared = await call(sales, 'PATCH', `/v1/admin/tenants/${tenantId}`, { limit_overrides: { max_duration_seconds: null } });
    expect(cleared.body.limits.max_duration_seconds).toBe(10);
  });

  it('finance may change billing terms only', async () => {
    const { tenantId } = await app.tenant();
    expect((await call(finance, 'PATCH', `/v1/admin/tenants/${tenantId}`, { billing_mode: 'invoice', net_days: 30 })).body.billing).toEqual({
      mode: 'invoice',
      net_days: 30,
    });
    const plan = await call(finance, 'PATCH', `/v1/admin/tenants/${tenantId}`, { plan: 'pro' });
    expect(plan.status).toBe(403);
    expect(plan.body.code).toBe('insufficient_role');
    expect((await call(finance, 'GET', `/v1/admin/tenants/${tenantId}`)).status).toBe(200);
  });

  it('lists tenants newest first with a cursor and filters', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await app.tenant({ plan: 'starter' })).tenantId);
    const first = await call(finance, 'GET', '/v1/admin/tenants?plan=starter&limit=2');
    expect(first.body.data.map((t: { id: string }) => t.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.has_more).toBe(true);
    const next = await call(finance, 'GET', `/v1/admin/tenants?plan=starter&limit=2&starting_after=${ids[1]}`);
    expect(next.body.data.map((t: { id: string }) => t.id)).toEqual([ids[0]]);
    expect(next.body.has_more).toBe(false);
  });

  it('operator keys cannot call tenant routes, and only admins manage operators', async () => {
    expect((await call(sales, 'GET', '/v1/me')).body.code).toBe('tenant_key_required');
    expect((await call(sales, 'GET', '/v1/admin/operators')).body.code).toBe('insufficient_role');
  });
});
