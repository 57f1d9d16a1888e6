import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { databaseVia } from '../support/database-via.js';

/**
 * What TEST_DATABASE_VIA means for the apps tests start (test/support/database-via.ts): with
 * `pgbouncer` (the PgBouncer job) the API's and the worker's pools reach PostgreSQL only through a
 * PgBouncer holding two server connections for the database, so twenty statements at once from
 * their ten pooled clients run on two server sessions; directly, the API's own pool opens several.
 */
describe(`apps started by tests reach PostgreSQL ${databaseVia() === 'pgbouncer' ? 'only through PgBouncer' : 'directly'}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ worker: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  // pg_sleep keeps each statement's server session busy, so the pools use every connection they may open.
  const backendsOf = async (db: DataSource): Promise<number[]> =>
    (await Promise.all(Array.from({ length: 10 }, () => db.query('select pg_backend_pid() as pid, pg_sleep(0.2)') as Promise<{ pid: number }[]>))).map(
      (rows) => rows[0]!.pid,
    );

  it('the statements of the API and the worker run on the server sessions the route allows', async () => {
    const [api, worker] = await Promise.all([backendsOf(app.api.get(DataSource)), backendsOf(app.worker!.get(DataSource))]);
    const sessions = new Set([...api, ...worker]);
    const [{ n }] = await app.sql<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    if (databaseVia() === 'pgbouncer') {
      expect(sessions.size).toBeLessThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(2);
    } else {
      expect(new Set(api).size).toBeGreaterThan(2);
      expect(n).toBeGreaterThan(2);
    }
  });
});
