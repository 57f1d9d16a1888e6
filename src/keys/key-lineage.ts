import type { EntityManager } from 'typeorm';

type Db = Pick<EntityManager, 'query'>;

// A key's monthly budget counts per lineage: the key and every key rolled from it.

/** The lineage a key belongs to; null for no key or one that no longer exists. */
export async function lineageOf(db: Db, keyId: string | null): Promise<string | null> {
  const [key] = (await db.query('select lineage_id from api_keys where id = $1', [keyId])) as { lineage_id: string }[];
  return key?.lineage_id ?? null;
}

/** The keys of a tenant's lineage. */
export async function lineageKeys(db: Db, tenantId: string, lineageId: string): Promise<string[]> {
  const keys = (await db.query('select id from api_keys where tenant_id = $1 and lineage_id = $2', [tenantId, lineageId])) as { id: string }[];
  return keys.map((k) => k.id);
}
