import type { EntityManager } from 'typeorm';

/**
 * A tenant's erasure blanks the prompts of its refusals: the refusal itself (when, which rule,
 * which category) stays for trust and safety, the text it refused was the tenant's content.
 */
export async function eraseRefusedPrompts(tx: EntityManager, tenantId: string): Promise<number> {
  const res = (await tx.query(`update moderation_events set prompt = '' where tenant_id = $1 and prompt <> ''`, [tenantId])) as [unknown[], number];
  return res[1];
}
