import type { EntityManager } from 'typeorm';
import type Stripe from 'stripe';
import { CatalogEntry } from '../stripe/catalog-entry.entity.js';

const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

/**
 * The plan a subscription is for, from its prices looked up in the catalogue — never its metadata,
 * which anyone with dashboard access can edit and which a portal change leaves as it was. The base
 * (licensed) item decides; a price the catalogue has since replaced is still known by its product.
 * Null when no item is one of ours.
 */
export async function planOfSubscription(tx: EntityManager, sub: Stripe.Subscription): Promise<string | null> {
  const entries = await tx.find(CatalogEntry);
  const items = [...sub.items.data].sort((a, b) => Number(a.price.recurring?.usage_type === 'metered') - Number(b.price.recurring?.usage_type === 'metered'));
  for (const item of items) {
    const byPrice = entries.find(
      (e) => e.basePriceId === item.price.id || e.meteredPriceId === item.price.id || Object.values(e.surchargePriceIds).includes(item.price.id),
    );
    const entry = byPrice ?? entries.find((e) => e.stripeProductId === idOf(item.price.product));
    if (entry) return entry.planCode;
  }
  return null;
}
