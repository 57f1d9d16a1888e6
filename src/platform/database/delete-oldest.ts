import type { EntityManager } from 'typeorm';

/**
 * Deletes up to `batch` rows of an append-only table created before `before` that meet
 * `condition` (SQL over the table as `t`), oldest first through its created_at index; ctid
 * identifies the rows whatever the key. Returns how many went. The owning folder names its table.
 */
export async function deleteOldest(tx: Pick<EntityManager, 'query'>, table: string, condition: string, before: Date, batch: number): Promise<number> {
  const [, affected] = (await tx.query(
    `delete from ${table} where ctid in (select t.ctid from ${table} t where t.created_at < $1 and ${condition} order by t.created_at limit $2)`,
    [before, batch],
  )) as [unknown, number];
  return affected;
}
