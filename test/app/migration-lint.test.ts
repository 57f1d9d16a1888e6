import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { lintMigrations, type Finding, type MigrationSql } from '../../tools/migration-lint/rules.js';
import { migrationsAt, namedBy, previousRelease, recordMigrations } from '../../tools/migration-lint/migration-sources.js';

const BASELINE = 'migrations/lint-baseline.json';
type Grandfathered = Pick<Finding, 'migration' | 'rule' | 'subject'>;
const id = (f: Grandfathered) => `${f.migration} ${f.rule} ${f.subject}`;

/**
 * The migration linter (docs/migrations.md) over every migration. Findings in migrations written
 * before the linter are grandfathered in migrations/lint-baseline.json (each by migration, rule and
 * table or column; regenerate with UPDATE_MIGRATION_BASELINE=1 only when adopting the linter, never
 * to pass a new migration); an entry that no longer matches anything fails too, so the list only shrinks.
 */
describe('migration linter', () => {
  it('every migration keeps the expand/contract rule, or is grandfathered', async () => {
    const { commit } = previousRelease();
    const released = migrationsAt(commit);
    const recorded = await recordMigrations(migrations as never, (t) => !released.has(t));
    const findings = await lintMigrations(recorded, { readByPreviousRelease: namedBy(commit) });
    if (process.env.UPDATE_MIGRATION_BASELINE === '1') {
      const old = findings.filter((f) => released.has(/(\d{13})$/.exec(f.migration)![1]!));
      const unique = new Map(old.map(({ migration, rule, subject }) => [id({ migration, rule, subject }), { migration, rule, subject }]));
      writeFileSync(BASELINE, `${JSON.stringify([...unique.values()], null, 2)}\n`);
    }
    const baseline = (existsSync(BASELINE) ? JSON.parse(readFileSync(BASELINE, 'utf8')) : []) as Grandfathered[];
    const allowed = new Set(baseline.map(id));
    const found = new Set(findings.map(id));
    expect(
      findings.filter((f) => !allowed.has(id(f))).map((f) => `${f.migration}: ${f.rule}: ${f.message}`),
      'see docs/migrations.md for the safe form of each',
    ).toEqual([]);
    expect(baseline.filter((b) => !found.has(id(b))).map(id), 'grandfathered findings that no longer occur: remove them from the baseline').toEqual([]);
    // Only migrations of earlier releases may be grandfathered.
    expect(baseline.filter((b) => !released.has(/(\d{13})$/.exec(b.migration)![1]!)).map(id)).toEqual([]);
  });

  /** An earlier release created `videos` (id, tenant_id, status); `release` is this release's migration. */
  const lint = (statements: string[], opts: { transactional?: boolean; read?: string[] } = {}) =>
    lintMigrations(
      [
        {
          name: 'Old1000000000000',
          transactional: true,
          inRelease: false,
          statements: ['CREATE TABLE "videos" ("id" text PRIMARY KEY, "tenant_id" text NOT NULL, "status" text NOT NULL, "legacy" text)'],
        },
        { name: 'New2000000000000', transactional: opts.transactional ?? true, inRelease: true, statements } satisfies MigrationSql,
      ],
      { readByPreviousRelease: (w) => (opts.read ?? ['legacy', 'status', 'videos']).includes(w) },
    ).then((f) => f.map((x) => x.rule));

  it('refuses CREATE INDEX without CONCURRENTLY on an existing table; a table of this release may be indexed at once', async () => {
    expect(await lint(['CREATE INDEX "i" ON "videos" ("status")'])).toEqual(['index-not-concurrent']);
    expect(await lint(['CREATE INDEX CONCURRENTLY "i" ON "videos" ("status")'], { transactional: false })).toEqual([]);
    expect(await lint(['CREATE INDEX CONCURRENTLY "i" ON "videos" ("status")'])).toEqual(['concurrent-in-transaction']);
    expect(await lint(['CREATE TABLE "fresh" ("id" text)', 'CREATE INDEX "i" ON "fresh" ("id")'])).toEqual([]);
  });

  it('refuses NOT NULL in the release that adds the column, and NOT NULL without a default on an existing table', async () => {
    expect(
      await lint(['ALTER TABLE "videos" ADD "kind" text', `UPDATE "videos" SET "kind" = 'a'`, 'ALTER TABLE "videos" ALTER COLUMN "kind" SET NOT NULL']),
    ).toEqual(['not-null-same-release']);
    expect(await lint(['ALTER TABLE "videos" ADD "kind" text NOT NULL'])).toEqual(['not-null-without-default']);
    expect(await lint([`ALTER TABLE "videos" ADD "kind" text NOT NULL DEFAULT 'a'`])).toEqual([]);
    // The contract step of an older column, without a long scan under lock.
    expect(
      await lint([
        'ALTER TABLE "videos" ADD CONSTRAINT "c" CHECK ("legacy" IS NOT NULL) NOT VALID',
        'ALTER TABLE "videos" VALIDATE CONSTRAINT "c"',
        'ALTER TABLE "videos" ALTER COLUMN "legacy" SET NOT NULL',
      ]),
    ).toEqual([]);
    expect(await lint(['ALTER TABLE "videos" ALTER COLUMN "legacy" SET NOT NULL'])).toEqual(['long-lock']);
  });

  it('refuses dropping or renaming a column or table the previous release reads; one it no longer reads may go', async () => {
    expect(await lint(['ALTER TABLE "videos" DROP COLUMN "legacy"'])).toEqual(['drop-or-rename-read-by-previous-release']);
    expect(await lint(['ALTER TABLE "videos" RENAME COLUMN "status" TO "state"'])).toEqual(['drop-or-rename-read-by-previous-release']);
    expect(await lint(['ALTER TABLE "videos" RENAME TO "clips"'])).toEqual(['drop-or-rename-read-by-previous-release']);
    expect(await lint(['DROP TABLE "videos"'])).toEqual(['drop-or-rename-read-by-previous-release']);
    expect(await lint(['ALTER TABLE "videos" DROP COLUMN "legacy"'], { read: ['status', 'videos'] })).toEqual([]);
  });

  it('refuses long locks: type changes, constraints checked under lock, LOCK, VACUUM FULL, REINDEX', async () => {
    expect(await lint(['ALTER TABLE "videos" ALTER COLUMN "status" TYPE varchar(20)'])).toEqual(['long-lock']);
    expect(await lint(['ALTER TABLE "videos" ADD CONSTRAINT "fk" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id")'])).toEqual(['long-lock']);
    expect(await lint(['ALTER TABLE "videos" ADD CONSTRAINT "fk" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") NOT VALID'])).toEqual([]);
    expect(await lint(['ALTER TABLE "videos" ADD CONSTRAINT "u" UNIQUE ("tenant_id", "id")'])).toEqual(['long-lock']);
    expect(await lint(['LOCK TABLE "videos" IN ACCESS EXCLUSIVE MODE', 'VACUUM FULL "videos"', 'REINDEX TABLE "videos"'])).toEqual([
      'long-lock',
      'long-lock',
      'long-lock',
    ]);
    expect(await lint(['REINDEX TABLE CONCURRENTLY "videos"'], { transactional: false })).toEqual([]);
  });
});
