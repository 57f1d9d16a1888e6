import type { DataSource } from 'typeorm';
import type { Pool, QueryResultRow } from 'pg';
import { hotReadTypes } from './timestamptz.js';

/**
 * A query on the hottest read paths (polling a video, listing videos) straight on pg's pool: no
 * TypeORM query runner, query builder or entity hydration runs per request. Everything else goes
 * through TypeORM. The statement is unnamed on purpose: a named one lives in one server session,
 * and behind PgBouncer in transaction mode (1.18 on Debian has no max_prepared_statements) the
 * next call may land on another session that never prepared it. Measured on the poll read, naming
 * it bought nothing (bench/results/*-prepared-statements.md). DATABASE_LOG_QUERIES does not show these.
 * Timestamps are read by parseTimestamptz (the same Dates as pg's default, cheaper).
 */
export async function poolQuery<R extends QueryResultRow>(db: DataSource, text: string, values: unknown[]): Promise<R[]> {
  const pool = (db.driver as unknown as { master: Pool }).master;
  return (await pool.query<R>({ text, values, types: hotReadTypes })).rows;
}

/**
 * poolQuery's rows as arrays of the selected columns, in their order. pg builds an object row
 * from a null-prototype template, a dictionary-mode object for every row, filled field by field:
 * for wide rows that was the largest single cost of listing 100 videos (issue 36).
 */
export async function poolValues(db: DataSource, text: string, values: unknown[]): Promise<unknown[][]> {
  const pool = (db.driver as unknown as { master: Pool }).master;
  return (await pool.query<unknown[]>({ text, values, types: hotReadTypes, rowMode: 'array' })).rows;
}
