import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { sql } from '../support/sql.js';

let app: TestApp;
let other: NestExpressApplication;
let otherUrl: string;

beforeAll(async () => {
  app = await startTestApp({ env: { API_KEY_LAST_USED_FLUSH_MS: '100' } });
  // A second API process on the same database and Redis, as behind a load balancer.
  const { createApiApp } = await import('../../src/app/create-api-app.js');
  other = await createApiApp({ logger: ['error'] });
  await other.listen(0, '127.0.0.1');
  otherUrl = (await other.getUrl()).replace('[::1]', '127.0.0.1');
});
afterAll(async () => {
  await other?.close();
  await app?.close();
});

const createKey = async (key: string, json: Record<string, unknown> = {}) => {
  const res = await app.request('/v1/api-keys', { method: 'POST', key, json });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const me = (key: string, base = app.url) => fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${key}` } });

describe('tenant API keys', () => {
  it('creates a key shown once, stored only as a hash, listed without its secret', async () => {
    const { key, tenantId } = await app.tenant();
    const created = await createKey(key, { name: 'ci', scopes: ['videos:read'], mode: 'test' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ object: 'api_key', name: 'ci', mode: 'test', scopes: ['videos:read'], tenant_id: tenantId });
    expect(created.body.secret).toMatch(/^lk_test_[0-9A-Za-z]{38}$/);
    const rows = await sql(app.db.url, 'select * from api_keys where id = $1', [created.body.id]);
    expect(JSON.stringify(rows)).not.toContain(created.body.secret);
    const list = (await (await app.request('/v1/api-keys', { key })).json()) as Record<string, any>;
    expect(list.data.map((k: { id: string }) => k.id)).toContain(created.body.id);
    expect(JSON.stringify(list)).not.toContain(created.body.secret);
    expect(list.data[0]).not.toHaveProperty('secret');
  });

  it('cannot grant scopes the calling key lacks', async () => {
    const { key } = await app.tenant({ scopes: ['keys:manage', 'videos:read'] });
    expect((await createKey(key, { scopes: ['videos:read'] })).status).toBe(201);
    const escalation = await createKey(key, { scopes: ['videos:write'] });
    expect(escalation.status).toBe(403);
    expect(escalation.body.code).toBe('insufficient_scope');
  });

  it('refuses a revoked key on the next request, on this process and on another one', async () => {
    const { key } = await app.tenant();
    const victim = await createKey(key);
    expect((await me(victim.body.secret)).status).toBe(200);
    expect((await me(victim.body.secret, otherUrl)).status).toBe(200); // now cached there too
    const revoked = await app.request(`/v1/api-keys/${victim.body.id}`, { method: 'DELETE', key });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as Record<string, any>).revoked_at).toBeTruthy();
    const next = await me(victim.body.secret);
    expect(next.status).toBe(401);
    expect(await next.json()).toMatchObject({ code: 'invalid_api_key' });
    // The other process learns through Redis pub/sub, which has arrived by the time it answers.
    await expect.poll(async () => (await me(victim.body.secret, otherUrl)).status, { timeout: 1_000, interval: 20 }).toBe(401);
  });

  it('rolls a key: the new secret works at once, the old one until its grace ends', async () => {
    const { key } = await app.tenant();
    const old = await createKey(key, { name: 'rolling' });
    const rolled = await app.request(`/v1/api-keys/${old.body.id}/roll`, { method: 'POST', key, json: { grace_seconds: 2 } });
    expect(rolled.status).toBe(201);
    const fresh = (await rolled.json()) as Record<string, any>;
    expect(fresh).toMatchObject({ name: 'rolling' });
    expect(fresh.id).not.toBe(old.body.id);
    expect((await me(fresh.secret)).status).toBe(200);
    expect((await me(old.body.secret)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_100));
    const after = await me(old.body.secret);
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ code: 'api_key_expired' });
    expect((await me(fresh.secret)).status).toBe(200);
  });

  it('a roll with no grace stops the old secret at once', async () => {
    const { key } = await app.tenant();
    const old = await createKey(key);
    expect((await me(old.body.secret)).status).toBe(200);
    const rolled = await app.request(`/v1/api-keys/${old.body.id}/roll`, { method: 'POST', key, json: { grace_seconds: 0 } });
    expect(rolled.status).toBe(201);
    expect((await me(old.body.secret)).status).toBe(401);
  });

  it("keeps last_used_at without writing on every request, and hides other tenants' keys", async () => {
    const a = await app.tenant();
    const b = await app.tenant();
    for (let i = 0; i < 5; i++) await me(a.key);
    await expect
      .poll(async () => (await sql(app.db.url, 'select last_used_at from api_keys where id = $1', [a.keyId]))[0].last_used_at, { timeout: 3_000 })
      .not.toBeNull();
    expect((await app.request(`/v1/api-keys/${a.keyId}`, { method: 'DELETE', key: b.key })).status).toBe(404);
  });

  it('refuses an expiry in the past and honours one in the future', async () => {
    const { key } = await app.tenant();
    expect((await createKey(key, { expires_at: '2001-01-01T00:00:00Z' })).status).toBe(400);
    const soon = await createKey(key, { expires_at: new Date(Date.now() + 2_000).toISOString() });
    expect((await me(soon.body.secret)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await me(soon.body.secret)).status).toBe(401);
  });
});

describe('creating a key with an Idempotency-Key', () => {
  it('replays without the secret, which is stored nowhere', async () => {
    const { key } = await app.tenant();
    const send = () => app.request('/v1/api-keys', { method: 'POST', key, json: { name: 'once' }, headers: { 'idempotency-key': 'k-1' } });
    const first = (await (await send()).json()) as Record<string, any>;
    expect(first.secret).toMatch(/^lk_live_/);
    const replay = await send();
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toMatchObject({ id: first.id, secret: null });
    const stored = await sql(app.db.url, 'select response_body::text as body from idempotency_keys');
    expect(stored.map((r) => r.body).join()).not.toContain(first.secret);
  });
});
