import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { DomainError } from '../platform/http/domain-error.js';
import { retryDelayMs } from '../webhooks/index.js';
import { manifestKey } from './delivery-key.js';
import { assertEndpointHost } from './destination-endpoint.js';
import { putStream, storeClient, storeError } from './destination-store.js';
import { Destination } from './destination.entity.js';
import { destinationsEnv } from './destinations.env.js';
import type { DeliveryTarget } from './video-deliveries.js';

/** What to do after a failed delivery attempt: give up (`failed`), or try again after `delayMs`. */
export function afterFailedAttempt(attempts: number): { last: true } | { last: false; delayMs: number } {
  const env = destinationsEnv.get();
  if (attempts >= env.DESTINATION_MAX_ATTEMPTS) return { last: true };
  return { last: false, delayMs: retryDelayMs(attempts, env.DESTINATION_RETRY_BASE_MS, env.DESTINATION_RETRY_MAX_DELAY_MS) };
}

/**
 * Writes one object other than a video's files (a batch's manifest) into a tenant's destination,
 * with the same checks as the delivery relay: the destination still exists, its endpoint is not
 * (or no longer) a private address, the body streamed with its length.
 */
@Injectable()
export class DestinationWriter {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The manifest's key in the destination (its prefix, the folder of the batch's key template); null when the destination is gone. */
  async manifestKeyOf(tenantId: string, target: DeliveryTarget, batchId: string): Promise<string | null> {
    const destination = await this.db.getRepository(Destination).findOneBy({ id: target.destination_id, tenantId });
    return destination && !destination.deleted ? manifestKey(destination.prefix, target.key_template, batchId) : null;
  }

  async put(tenantId: string, target: DeliveryTarget, key: string, body: Readable, bytes: number, contentType: string): Promise<void> {
    const destination = await this.db.getRepository(Destination).findOneBy({ id: target.destination_id, tenantId });
    if (!destination || destination.deleted) throw new DomainError('destination_unreachable', `Destination '${target.destination_id}' was deleted.`);
    if (destination.endpoint) await assertEndpointHost(new URL(destination.endpoint));
    const client = storeClient(destination);
    try {
      await putStream(client, destination.bucket, key, body, bytes, contentType);
    } catch (e) {
      body.destroy();
      throw storeError(e, destination.bucket);
    } finally {
      client.destroy();
    }
  }
}
