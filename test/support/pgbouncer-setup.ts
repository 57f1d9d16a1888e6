import type { TestProject } from 'vitest/node';
import { startPgBouncer } from '../../tools/dev/pgbouncer.js';
import { databaseVia } from './database-via.js';

/**
 * Global setup after global-setup.ts: under `TEST_DATABASE_VIA=pgbouncer`, one Debian PgBouncer in
 * transaction mode in front of the run's PostgreSQL. Two server connections per database, so an
 * API and a worker (five pooled clients each) share them and consecutive statements of one client
 * land on different server sessions: what breaks session state (advisory locks, SET, named
 * prepared statements, LISTEN) that the app must not rely on.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (databaseVia() !== 'pgbouncer') return undefined;
  // TEST_PGBOUNCER_POOL_SIZE=1 finds code that uses a second connection while its transaction holds one (it waits forever).
  const poolSize = Number(process.env.TEST_PGBOUNCER_POOL_SIZE ?? 2);
  const bouncer = await startPgBouncer({ serverUrl: project.getProvidedContext().pgUrl, poolSize });
  console.log(`pgbouncer (transaction mode, ${poolSize} server connections per database) on port ${bouncer.port}`);
  project.provide('pgBouncerPort', bouncer.port);
  return async () => {
    const log = bouncer.log();
    await bouncer.stop();
    // Its errors (a client refused, a pool timing out) explain failures the tests only see as timeouts; its
    // warnings are mostly the dropped test databases' server connections.
    const problems = log.split('\n').filter((line) => /\b(ERROR|FATAL)\b|query_wait_timeout/.test(line));
    if (problems.length > 0) console.log(`pgbouncer's errors:\n${problems.slice(-40).join('\n')}`);
  };
}
