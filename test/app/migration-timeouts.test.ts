import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../support/isolation.js';
import { runMigrations } from '../../src/app/database/migrate.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await runMigrations(db.url);
});
afterAll(() => db?.drop());

const limits = { lockTimeoutMs: 300, statementTimeoutMs: 1_000 };

/** A migration of a later release (transactional unless told). */
const migration = (name: string, sql: string, transaction = true) =>
  class implements MigrationInterface {
    name = name;
    transaction = transaction;
    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(sql);
    }
    async down(): Promise<void> {}
  };

describe('migrations run with lock_timeout and statement_timeout', () => {
  it('a migration waiting for a lock held by a long transaction fails instead of queueing every query behind it', async () => {
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT count(*) FROM videos');
      // The old release's long read holds ACCESS SHARE; ALTER TABLE wants ACCESS EXCLUSIVE.
      const alter = migration('LateColumn1796740000001', 'ALTER TABLE "videos" ADD "late" text');
      await expect(runMigrations(db.url, { limits, migrations: [alter] })).rejects.toThrow(/lock timeout/);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    // Nothing half-applied: the column is absent, the migration not recorded, and it applies once the lock is free.
    const check = new pg.Client({ connectionString: db.url });
    await check.connect();
    try {
      expect((await check.query(`select 1 from information_schema.columns where table_name = 'videos' and column_name = 'late'`)).rowCount).toBe(0);
      const alter = migration('LateColumn1796740000001', 'ALTER TABLE "videos" ADD "late" text');
      expect(await runMigrations(db.url, { limits, migrations: [alter] })).toEqual(['LateColumn1796740000001']);
    } finally {
      await check.end();
    }
  });

  it('a statement running past statement_timeout fails the migration', async () => {
    const slow = migration('SlowBackfill1796740000003', 'SELECT pg_sleep(5)');
    await expect(runMigrations(db.url, { limits, migrations: [slow] })).rejects.toThrow(/statement timeout/);
    // Outside a transaction (a CONCURRENTLY migration) too.
    const slowOutside = migration('SlowOutside1796740000004', 'SELECT pg_sleep(5)', false);
    await expect(runMigrations(db.url, { limits, migrations: [slowOutside] })).rejects.toThrow(/statement timeout/);
  });
});
