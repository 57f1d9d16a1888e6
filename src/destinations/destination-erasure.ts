import type { EntityManager } from 'typeorm';
import { Destination } from './destination.entity.js';
import { VideoDelivery } from './video-delivery.entity.js';

/**
 * A tenant's erasure removes its destinations (their sealed credentials with them, deleted ones
 * too) and its videos' delivery rows (keys made of its custom_ids). Its objects already in its
 * own bucket are its own and stay there.
 */
export async function eraseTenantDestinations(tx: EntityManager, tenantId: string): Promise<{ destinations: number; deliveries: number }> {
  const deliveries = await tx.delete(VideoDelivery, { tenantId });
  const destinations = await tx.delete(Destination, { tenantId });
  return { destinations: destinations.affected ?? 0, deliveries: deliveries.affected ?? 0 };
}
