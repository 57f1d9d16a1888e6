import type { EntityManager } from 'typeorm';
import { deleteOldest } from '../platform/database/delete-oldest.js';

/** Up to `batch` stored keys older than `before` (the 24-hour window is over); returns how many went. */
export function purgeIdempotencyKeys(tx: Pick<EntityManager, 'query'>, before: Date, batch: number): Promise<number> {
  return deleteOldest(tx, 'idempotency_keys', 'true', before, batch);
}
