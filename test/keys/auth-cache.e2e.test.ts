import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { generateKey } from '../../src/core/auth/api-key-format.js';
import { RedisClient } from '../../src/platform/redis/redis.client.js';
import { makeImage } from '../support/images.js';

// Issue 36 item 2: what every authenticated request reads is cached in the process — the
// failed-authentication count of the caller's address and, for GET /v1/me, the tenant's billing
// standing — and each change still reaches the cache within its stated bound. The API trusts
// X-Forwarded-For from loopback, which lets one process play several client addresses.

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What another replica leaves in Redis after `count` failures from `address`. */
async function countedElsewhere(app: TestApp, address: string, count: number): Promise<void> {
  const client = app.api.get(RedisClient);
  await client.redis.set(`${client.prefix}:authfail:${address}`, String(count), 'PX', 60_000);
}

const me = (app: TestApp, key: string, address: string) => app.request('/v1/me', { key, headers: { 'x-forwarded-for': address } });

describe('the failed-authentication count, read once per AUTH_FAILURE_CACHE_MS', () => {
  let app: TestApp;
  let key: string;
  beforeAll(async () => {
    app = await startTestApp({ env: { AUTH_FAILURES_PER_MINUTE: '3', AUTH_FAILURE_CACHE_MS: '60000' } });
    ({ key } = await app.tenant());
  });
  afterAll(() => app?.close());

  it('is not read from Redis on every request, and this process’s own failures count at once', async () => {
    expect((await me(app, key, '203.0.113.20')).status).toBe(200);
    // Another replica counted failures since: within the minute this process still answers from its reading.
    await countedElsewhere(app, '203.0.113.20', 100);
    expect((await me(app, key, '203.0.113.20')).status).toBe(200);
    // A failure here is counted in Redis, whose answer (101) replaces the reading: refused from now on.
    expect((await me(app, generateKey('live'), '203.0.113.20')).status).toBe(401);
    const refused = await me(app, key, '203.0.113.20');
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { code: string }).code).toBe('too_many_failed_authentications');
  });

  it('keeps exact counts for concurrent failures in this process', async () => {
    const statuses = await Promise.all(Array.from({ length: 3 }, () => me(app, generateKey('live'), '203.0.113.21').then((r) => r.status)));
    expect(statuses).toEqual([401, 401, 401]);
    expect((await me(app, key, '203.0.113.21')).status).toBe(429);
  });
});

describe('failures other replicas counted', () => {
  let app: TestApp;
  let key: string;
  beforeAll(async () => {
    app = await startTestApp({ env: { AUTH_FAILURES_PER_MINUTE: '3', AUTH_FAILURE_CACHE_MS: '200' } });
    ({ key } = await app.tenant());
  });
  afterAll(() => app?.close());

  it('refuse the address once this process’s reading is older than AUTH_FAILURE_CACHE_MS', async () => {
    expect((await me(app, key, '203.0.113.30')).status).toBe(200);
    await countedElsewhere(app, '203.0.113.30', 3);
    await until('the other replica’s count', async () => (await me(app, key, '203.0.113.30')).status === 429);
  });
});

describe('GET /v1/me’s billing standing, cached with the tenant’s keys', () => {
  let app: TestApp;
  let tenant: { tenantId: string; key: string; keyId: string };
  const standing = async () =>
    ((await (await me(app, tenant.key, '198.51.100.40')).json()) as { tenant: { billing: { standing: string } } }).tenant.billing.standing;
  beforeAll(async () => {
    // An hour: nothing below may be explained by the TTL running out.
    app = await startTestApp({ env: { AUTH_CACHE_TTL_SECONDS: '3600' } });
    tenant = await app.tenant();
    await app.sql(`insert into billing_accounts (tenant_id, stripe_customer_id) values ($1, 'cus_bench')`, [tenant.tenantId]);
  });
  afterAll(() => app?.close());

  it('is not read from the database on every request, and is read again when the tenant’s keys are invalidated on any replica', async () => {
    expect(await standing()).toBe('active');
    // A change without its invalidation message: the cached standing stays.
    await app.sql('update billing_accounts set past_due_since = now() where tenant_id = $1', [tenant.tenantId]);
    expect(await standing()).toBe('active');
    // The message the billing worker publishes after committing a dunning change (AccountStanding.locked → refreshKeys).
    const client = app.api.get(RedisClient);
    await client.redis.publish(`${client.prefix}:auth-invalidate`, tenant.tenantId);
    await until('the past_due standing', async () => (await standing()) === 'past_due');
  });

  it('a plan change, a suspension and a revoked key take effect on the next request', async () => {
    const admin = (path: string, method: string, json?: unknown) =>
      app.request(`/v1/admin/tenants/${tenant.tenantId}${path}`, { method, key: app.operatorKey, json });
    expect(((await (await me(app, tenant.key, '198.51.100.41')).json()) as { plan: string }).plan).toBe('enterprise');
    expect((await admin('', 'PATCH', { plan: 'pro' })).ok).toBe(true);
    expect(((await (await me(app, tenant.key, '198.51.100.41')).json()) as { plan: string }).plan).toBe('pro');
    expect((await admin('/suspend', 'POST')).ok).toBe(true);
    expect((await me(app, tenant.key, '198.51.100.41')).status).toBe(403);
    expect((await admin('/resume', 'POST')).ok).toBe(true);
    expect((await me(app, tenant.key, '198.51.100.41')).status).toBe(200);
    expect((await admin(`/api-keys/${tenant.keyId}`, 'DELETE')).ok).toBe(true);
    expect((await me(app, tenant.key, '198.51.100.41')).status).toBe(401);
  });
});

describe('what a submit reads, cached beside the key', () => {
  let app: TestApp;
  let tenant: { tenantId: string; key: string; keyId: string };
  let fileId: string;
  const submit = (prompt: string) => app.request('/v1/videos', { method: 'POST', key: tenant.key, json: { prompt, image: fileId, duration_seconds: 1 } });
  beforeAll(async () => {
    app = await startTestApp({ env: { AUTH_CACHE_TTL_SECONDS: '3600' } });
    tenant = await app.tenant();
    const form = new FormData();
    form.set('file', new Blob([makeImage('png')], { type: 'image/png' }), 'p.png');
    fileId = ((await (await app.request('/v1/files', { method: 'POST', key: tenant.key, body: form })).json()) as { id: string }).id;
  });
  afterAll(() => app?.close());

  it('a tenant blocklist saved by an operator refuses the next submit', async () => {
    expect((await submit('a red kettle on a table')).status).toBe(202);
    const put = await app.request(`/v1/admin/tenants/${tenant.tenantId}/moderation`, {
      method: 'PUT',
      key: app.operatorKey,
      json: { blocklist: { brand: ['kettle'] } },
    });
    expect(put.ok).toBe(true);
    const refused = await submit('a red kettle on a table');
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { code: string }).code).toBe('content_policy_violation');
  });

  it('a hard cap set by the tenant refuses the next submit that would pass it', async () => {
    expect((await submit('a slow push-in')).status).toBe(202);
    const alert = await app.request('/v1/billing/alerts', { method: 'POST', key: tenant.key, json: { metric: 'seconds', threshold: 1, hard_cap: true } });
    expect(alert.status).toBe(201);
    const refused = await submit('a slow push-in');
    expect(((await refused.json()) as { code: string }).code).toBe('spend_cap_reached');
  });
});
