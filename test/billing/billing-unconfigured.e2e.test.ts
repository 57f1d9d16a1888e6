import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
beforeAll(async () => {
  delete process.env.STRIPE_SECRET_KEY;
  delete process.env.STRIPE_WEBHOOK_SECRET;
  app = await startTestApp();
});
afterAll(() => app?.close());

describe('without Stripe configured', () => {
  it('answers every billing endpoint 503 billing_not_configured, while plans and usage keep working', async () => {
    const { key, tenantId } = await app.tenant({ plan: 'pro' });
    const calls: [string, string, unknown?][] = [
      ['GET', '/v1/billing'],
      ['GET', '/v1/billing/invoices'],
      ['POST', '/v1/billing/checkout', { plan: 'pro' }],
      ['POST', '/v1/billing/portal'],
    ];
    for (const [method, path, json] of calls) {
      const res = await app.request(path, { method, key, json });
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = (await res.json()) as { code: string; detail: string };
      expect(body.code).toBe('billing_not_configured');
      expect(body.detail).toContain('STRIPE_SECRET_KEY');
    }
    for (const [method, path] of [
      ['POST', '/v1/admin/billing/sync-catalog'],
      ['GET', '/v1/admin/billing/meter-lag'],
      ['GET', '/v1/admin/billing/reconcile?period=2026-11'],
      ['POST', `/v1/admin/billing/tenants/${tenantId}/subscription`],
    ] as const) {
      expect((await app.request(path, { method, key: app.operatorKey })).status, path).toBe(503);
    }
    const hook = await fetch(`${app.url}/v1/stripe/webhooks`, { method: 'POST', headers: { 'stripe-signature': 't=1,v1=00' }, body: '{}' });
    expect(hook.status).toBe(503);
    expect((await app.request('/v1/usage', { key })).status).toBe(200);
    expect((await app.request('/v1/me', { key })).status).toBe(200);
  });

  it('still validates input first: a bad plan code is a 400', async () => {
    const { key } = await app.tenant();
    const res = await app.request('/v1/billing/checkout', { method: 'POST', key, json: { plan: 'NOT A PLAN' } });
    expect(res.status).toBe(400);
  });
});
