import type { EntityManager } from 'typeorm';
import { Tenant } from './tenant.entity.js';

/** Whether the tenant is suspended now, read in the caller's transaction (its queued work must not run). */
export async function isSuspended(db: Pick<EntityManager, 'query'>, tenantId: string): Promise<boolean> {
  const [row] = (await db.query('select status from tenants where id = $1', [tenantId])) as { status: string }[];
  return row?.status === 'suspended';
}

/** Whether the tenant exists, read in the caller's transaction. */
export async function tenantExists(db: Pick<EntityManager, 'query'>, tenantId: string): Promise<boolean> {
  const rows = (await db.query('select 1 from tenants where id = $1', [tenantId])) as unknown[];
  return rows.length > 0;
}

/** The tenant's plan and limit overrides (what its prices and limits start from), read in the caller's transaction. */
export async function tenantPlanOf(db: Pick<EntityManager, 'findOneBy'>, tenantId: string): Promise<Pick<Tenant, 'plan' | 'limitOverrides'> | null> {
  return db.findOneBy(Tenant, { id: tenantId });
}

/** The tenant, or null when there is none, read through the caller's manager (its transaction, if any). */
export async function findTenant(db: Pick<EntityManager, 'findOneBy'>, tenantId: string): Promise<Tenant | null> {
  return db.findOneBy(Tenant, { id: tenantId });
}

/** The tenant, read through the caller's manager; throws TypeORM's EntityNotFoundError when there is none. */
export async function getTenant(db: Pick<EntityManager, 'findOneByOrFail'>, tenantId: string): Promise<Tenant> {
  return db.findOneByOrFail(Tenant, { id: tenantId });
}

/** The plan and status now of those of the given tenants that exist, by id, read in the caller's transaction. */
export async function planAndStatusOf(db: Pick<EntityManager, 'query'>, tenantIds: string[]): Promise<Map<string, { plan: string; status: string }>> {
  if (tenantIds.length === 0) return new Map();
  const rows = (await db.query('select id, plan, status from tenants where id = any($1)', [tenantIds])) as { id: string; plan: string; status: string }[];
  return new Map(rows.map((r) => [r.id, { plan: r.plan, status: r.status }]));
}
