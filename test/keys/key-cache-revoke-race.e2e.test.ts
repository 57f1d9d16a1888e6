import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

/**
 * A key verified from the database just before a revoke commits must not be cached once the
 * revoke has answered. The race is made certain, not hoped for: the API's own TypeORM DataSource
 * is wrapped so that the key lookup, once PostgreSQL has answered it, waits until the test has
 * revoked the key (nothing of ours is replaced; the lookup's result is the real one).
 */
let app: TestApp;
let release: () => void = () => undefined;
let armed = false;
let held = false;

beforeAll(async () => {
  app = await startTestApp();
  const db = app.api.get(DataSource);
  const query = db.query.bind(db);
  db.query = (async (sql: string, params?: unknown[]) => {
    const rows = await query(sql, params);
    if (armed && sql.includes('from api_keys k join tenants t')) {
      armed = false;
      held = true;
      await new Promise<void>((r) => (release = r));
    }
    return rows;
  }) as typeof db.query;
});
afterAll(() => {
  release();
  return app?.close();
});

describe('the key cache and a concurrent revoke', () => {
  it('never serves a key read before the revoke committed once the revoke has answered', async () => {
    const { tenantId, key, keyId } = await app.tenant();
    armed = true;
    const first = app.request('/v1/me', { key });
    await until('the key lookup answered', async () => held, 10_000, 10);
    const revoked = await app.request(`/v1/admin/tenants/${tenantId}/api-keys/${keyId}`, { method: 'DELETE', key: app.operatorKey });
    expect(revoked.status).toBe(200);
    release();
    // Authenticated before the revoke: that request may finish.
    expect((await first).status).toBe(200);
    const after = await app.request('/v1/me', { key });
    expect([after.status, ((await after.json()) as { code: string }).code]).toEqual([401, 'invalid_api_key']);
  });
});
