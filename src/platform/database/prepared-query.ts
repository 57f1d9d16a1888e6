import type { DataSource } from 'typeorm';
import type { Pool, QueryResultRow } from 'pg';

/**
 * A query on the hottest read paths (polling a video, listing videos) straight on pg's pool as a
 * named prepared statement: PostgreSQL parses and plans it once per connection, and no TypeORM
 * query runner, query builder or entity hydration runs per request. Everything else goes through
 * TypeORM. The name must be unique per SQL text; DATABASE_LOG_QUERIES does not show these.
 */
export async function preparedQuery<R extends QueryResultRow>(db: DataSource, name: string, text: string, values: unknown[]): Promise<R[]> {
  const pool = (db.driver as unknown as { master: Pool }).master;
  return (await pool.query<R>({ name, text, values })).rows;
}
