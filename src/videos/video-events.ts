import { resourceUrl, type OutboxEvent } from '../platform/outbox/event-outbox.js';
import type { EventData, EventType } from '../platform/outbox/event.entity.js';
import type { Video } from './video.entity.js';

/** A video's event for the outbox: thin on purpose (no presigned URLs that expire in a payload). */
export function videoEvent(video: Video, type: EventType): OutboxEvent {
  const data: EventData = { id: video.id, object: 'video', status: video.status, url: resourceUrl(`/v1/videos/${video.id}`) };
  if (video.status === 'failed' && video.errorCode) data.error = { code: video.errorCode };
  return { type, tenantId: video.tenantId, subjectId: video.id, data, livemode: video.livemode, callbackUrl: video.webhookUrl };
}
