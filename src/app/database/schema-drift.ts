import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

/**
 * What `migration:generate` would write: the SQL that would make a database migrated to the
 * latest migration match the entities. Empty means entities and migrations agree.
 */
export async function schemaDrift(url: string): Promise<{ up: string[]; down: string[] }> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    const sql = await ds.driver.createSchemaBuilder().log();
    return { up: sql.upQueries.map((q) => q.query), down: sql.downQueries.map((q) => q.query).reverse() };
  } finally {
    await ds.destroy();
  }
}
