import 'reflect-metadata';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startPostgres } from '../tools/dev/embedded-postgres.js';
import { schemaDrift } from '../src/app/database/schema-drift.js';

/**
 * `npm run migration:generate -- <Name>`: diffs the entities against a scratch database migrated
 * to the latest migration and writes the difference as a new migration for review.
 */
async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('usage: npm run migration:generate -- <PascalCaseName>');
  const dir = await mkdtemp(join(tmpdir(), 'leoma-migrate-'));
  const pg = await startPostgres({ dataDir: dir, fast: true });
  try {
    const db = new Client({ connectionString: pg.url });
    await db.connect();
    await db.query('create database scratch');
    await db.end();
    const { up, down } = await schemaDrift(pg.url.replace(/\/postgres$/, '/scratch'));
    if (!up.length) {
      process.stdout.write('entities and migrations agree: nothing to generate\n');
      return;
    }
    const stamp = Date.now();
    const cls = `${name}${stamp}`;
    const file = `migrations/${stamp}-${name.replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase())}.ts`;
    const q = (s: string) => `    await queryRunner.query(${JSON.stringify(s)});`;
    await writeFile(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${cls} implements MigrationInterface {\n  name = '${cls}';\n\n  async up(queryRunner: QueryRunner): Promise<void> {\n${up.map(q).join('\n')}\n  }\n\n  async down(queryRunner: QueryRunner): Promise<void> {\n${down.map(q).join('\n')}\n  }\n}\n`,
    );
    const index = await readFile('migrations/index.ts', 'utf8').catch(() => '');
    process.stdout.write(`wrote ${file}\nadd it to migrations/index.ts (currently ${index.split('\n').length} lines) and review the SQL\n`);
  } finally {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
