import { inject } from 'vitest';

/**
 * `TEST_DATABASE_VIA=pgbouncer` (set by vitest.pgbouncer.config.ts, the PgBouncer CI job): every
 * app a test starts reaches PostgreSQL only through the run's PgBouncer in transaction mode
 * (test/support/pgbouncer-setup.ts), while test set-up, migrations and assertions keep connecting
 * directly, as operators run migrations. Unset: apps connect directly.
 */
export function databaseVia(): 'pgbouncer' | 'direct' {
  const via = process.env.TEST_DATABASE_VIA ?? 'direct';
  if (via !== 'pgbouncer' && via !== 'direct') throw new Error(`TEST_DATABASE_VIA must be pgbouncer or direct, not ${via}`);
  return via;
}

/**
 * The URL an app is handed for a file's database: `direct` itself, or the same user, password and
 * database on PgBouncer's port. Each file's isolation is its own database (isolation.ts), which
 * the URL's path names and PgBouncer's `*` entry routes to a pool of its own, so nothing relies
 * on startup parameters PgBouncer would drop.
 */
export function appDatabaseUrl(direct: string): string {
  if (databaseVia() === 'direct') return direct;
  const port = inject('pgBouncerPort');
  if (!port)
    throw new Error('TEST_DATABASE_VIA=pgbouncer needs the PgBouncer of test/support/pgbouncer-setup.ts: run with --config vitest.pgbouncer.config.ts');
  const url = new URL(direct);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
}
