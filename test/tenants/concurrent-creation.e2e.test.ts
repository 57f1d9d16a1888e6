import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * More tenants created at once than the API has database connections: each creation's transaction
 * holds a connection, and the plan check inside it used to ask the pool for a second one — with
 * every connection held by a transaction waiting the same way, nothing moved again (the ten
 * tenants of the batch upload memory test hung the full run for five minutes). The plan is read
 * on the transaction's own connection now.
 */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ env: { DATABASE_POOL_MAX: '2' } });
});
afterAll(() => app?.close());

describe('concurrent tenant creation', () => {
  it('creates more tenants at once than there are pooled connections', async () => {
    const created = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        app.request('/v1/admin/tenants', { method: 'POST', key: app.operatorKey, json: { name: `Concurrent ${i}`, plan: 'enterprise' } }),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect((await app.sql(`SELECT count(*)::int AS n FROM tenants WHERE name LIKE 'Concurrent %'`))[0]!.n).toBe(6);
  }, 60_000);
});
