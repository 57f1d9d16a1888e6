import 'reflect-metadata';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { databaseEnv } from '../../platform/database/database.env.js';
import { dataSourceOptions } from './data-source-options.js';
import { exitOnEnvError } from '../validate-all.js';
import { migrations as allMigrations } from '../../../migrations/index.js';

export interface MigrationLimits {
  /** How long a statement may wait for a lock before the migration fails (lock_timeout). */
  lockTimeoutMs: number;
  /** How long one statement may run (statement_timeout). */
  statementTimeoutMs: number;
}

/** The defaults of MIGRATION_LOCK_TIMEOUT_MS and MIGRATION_STATEMENT_TIMEOUT_MS. */
export const DEFAULT_MIGRATION_LIMITS: MigrationLimits = { lockTimeoutMs: 5_000, statementTimeoutMs: 600_000 };

/**
 * Each migration starts by setting lock_timeout and statement_timeout: migrations run while the
 * previous release serves, and a statement queued behind a long transaction for an exclusive lock
 * would queue every query of that table behind itself. Failing fast and retrying the deploy is
 * cheaper than stalling the service. SET LOCAL inside a migration's transaction (so it holds through
 * PgBouncer too); a plain SET for one that runs outside a transaction (CONCURRENTLY).
 */
function withLimits(classes: (new () => MigrationInterface)[], limits: MigrationLimits): (new () => MigrationInterface)[] {
  return classes.map(
    (Migration) =>
      class extends Migration {
        override async up(queryRunner: QueryRunner): Promise<void> {
          const scope = (this as { transaction?: boolean }).transaction === false ? 'SET' : 'SET LOCAL';
          await queryRunner.query(`${scope} lock_timeout = ${Math.trunc(limits.lockTimeoutMs)}`);
          await queryRunner.query(`${scope} statement_timeout = ${Math.trunc(limits.statementTimeoutMs)}`);
          await super.up(queryRunner);
        }
      },
  );
}

/** Applies pending migrations (`migrations`: all of them unless a test says otherwise); `npm run migrate` and the dev command call this. */
export async function runMigrations(url: string, opts: { limits?: MigrationLimits; migrations?: (new () => MigrationInterface)[] } = {}): Promise<string[]> {
  const ds = new DataSource({ ...dataSourceOptions(url), migrations: withLimits(opts.migrations ?? allMigrations, opts.limits ?? DEFAULT_MIGRATION_LIMITS) });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let url: string;
  let limits: MigrationLimits;
  try {
    const env = databaseEnv.get();
    url = env.DATABASE_URL;
    limits = { lockTimeoutMs: env.MIGRATION_LOCK_TIMEOUT_MS, statementTimeoutMs: env.MIGRATION_STATEMENT_TIMEOUT_MS };
  } catch (e) {
    exitOnEnvError(e);
  }
  runMigrations(url, { limits }).then(
    (names) => {
      process.stdout.write(names.length ? `applied: ${names.join(', ')}\n` : 'database is up to date\n');
    },
    (e: Error) => {
      process.stderr.write(`migration failed: ${e.message}\n`);
      process.exit(1);
    },
  );
}
