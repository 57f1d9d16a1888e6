import type { EntityManager } from 'typeorm';
import { newId } from '../common/ids.js';
import { appEnv } from '../config/app.env.js';
import type { Video } from '../videos/video.entity.js';
import { EventRecord, type EventData, type EventType } from './event.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

/** Link to the API resource: absolute when PUBLIC_BASE_URL is set, else the path. */
export function resourceUrl(path: string): string {
  return (appEnv.get().PUBLIC_BASE_URL?.replace(/\/$/, '') ?? '') + path;
}

/**
 * Writes a video's event and one pending delivery per interested target inside the caller's
 * transaction, so the state change and its webhooks commit or roll back together (the outbox);
 * the relay in the worker hands due deliveries to BullMQ afterwards.
 */
export async function recordVideoEvent(tx: EntityManager, video: Video, type: EventType): Promise<EventRecord> {
  const data: EventData = { id: video.id, object: 'video', status: video.status, url: resourceUrl(`/v1/videos/${video.id}`) };
  if (video.status === 'failed' && video.errorCode) data.error = { code: video.errorCode };
  const event = tx.create(EventRecord, { id: newId('event'), tenantId: video.tenantId, type, objectId: video.id, data, livemode: video.livemode });
  await tx.insert(EventRecord, event);
  const endpoints = await tx
    .createQueryBuilder(WebhookEndpoint, 'e')
    .where('e.tenant_id = :tenantId AND e.enabled AND NOT e.deleted', { tenantId: video.tenantId })
    .andWhere('e.enabled_events && :types', { types: ['*', type] })
    .getMany();
  const targets = endpoints.map((e) => ({ endpointId: e.id as string | null, url: e.url }));
  if (video.webhookUrl) targets.push({ endpointId: null, url: video.webhookUrl });
  if (targets.length) {
    const now = new Date();
    await tx.insert(
      WebhookDelivery,
      targets.map((t) => ({ id: newId('webhookDelivery'), tenantId: video.tenantId, eventId: event.id, ...t, status: 'pending' as const, nextAttemptAt: now, windowStartedAt: now })),
    );
  }
  return event;
}
