import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseEnv } from '../../platform/database/database.env.js';
import { dataSourceOptions } from './data-source-options.js';
import { exitOnEnvError } from '../validate-all.js';

/** Applies pending migrations; `npm run migrate` and the dev command call this. */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url));
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
  try {
    url = databaseEnv.get().DATABASE_URL;
  } catch (e) {
    exitOnEnvError(e);
  }
  runMigrations(url).then(
    (names) => {
      process.stdout.write(names.length ? `applied: ${names.join(', ')}\n` : 'database is up to date\n');
    },
    (e: Error) => {
      process.stderr.write(`migration failed: ${e.message}\n`);
      process.exit(1);
    },
  );
}
