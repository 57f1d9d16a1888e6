import type { EntityManager } from 'typeorm';
import { deleteOldest } from '../platform/database/delete-oldest.js';

type Db = Pick<EntityManager, 'query'>;

/** Up to `batch` finished deliveries (not pending) older than `before`; returns how many went. */
export function purgeWebhookDeliveries(tx: Db, before: Date, batch: number): Promise<number> {
  return deleteOldest(tx, 'webhook_deliveries', "status <> 'pending'", before, batch);
}

/** Up to `batch` events older than `before` that no delivery row refers to any more; returns how many went. */
export function purgeDeliveredEvents(tx: Db, before: Date, batch: number): Promise<number> {
  return deleteOldest(tx, 'events', 'not exists (select 1 from webhook_deliveries d where d.event_id = t.id)', before, batch);
}
