import type { EntityManager } from 'typeorm';
import type { LeafFields } from './merkle.js';

/**
 * A period's allocations as Merkle leaves, in tree order (allocation id, which is creation order).
 * An allocation made before policies were kept has policy version 0 in its leaf.
 */
export async function periodAllocations(manager: EntityManager, start: Date, end: Date): Promise<LeafFields[]> {
  const rows = (await manager.query(
    `SELECT id, stripe_invoice_id, amount_minor::text, currency, COALESCE(policy_version, 0) AS policy_version
       FROM treasury_allocations WHERE created_at >= $1 AND created_at < $2 ORDER BY id COLLATE "C"`,
    [start, end],
  )) as { id: string; stripe_invoice_id: string | null; amount_minor: string; currency: string; policy_version: number }[];
  return rows.map((r) => ({
    allocationId: r.id,
    invoiceId: r.stripe_invoice_id,
    amountMinor: r.amount_minor,
    currency: r.currency,
    policyVersion: Number(r.policy_version),
  }));
}
