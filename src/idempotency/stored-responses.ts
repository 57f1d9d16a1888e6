import type { EntityManager } from 'typeorm';

/** The namespace of a tenant's keys in one mode; keys never collide across tenants or modes. */
export function tenantKeyOwner(tenantId: string, livemode: boolean): string {
  return `tenant:${tenantId}:${livemode ? 'live' : 'test'}`;
}

/**
 * A replay copy holds the object as it was created, content included. When the object is deleted
 * its copies take the same fields the deletion blanked (`patch`), so a retry inside the window
 * still replays (no second object, no second charge) but shows nothing that was deleted.
 */
export async function redactStoredResponses(tx: EntityManager, owner: string, objectId: string, patch: Record<string, unknown>): Promise<void> {
  await tx.query(
    `update idempotency_keys set response_body = response_body || $3::jsonb
      where owner = $1 and jsonb_typeof(response_body) = 'object' and response_body->>'id' = $2`,
    [owner, objectId, JSON.stringify(patch)],
  );
}

/** A tenant's erasure drops every replay copy of both modes: they hold its prompts and URLs. */
export async function forgetTenantResponses(tx: EntityManager, tenantId: string): Promise<number> {
  const res = (await tx.query(`delete from idempotency_keys where owner = any($1)`, [[tenantKeyOwner(tenantId, true), tenantKeyOwner(tenantId, false)]])) as [
    unknown[],
    number,
  ];
  return res[1];
}
