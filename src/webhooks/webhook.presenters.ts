import type { EventRecord } from '../platform/outbox/event.entity.js';
import type { WebhookDelivery } from './webhook-delivery.entity.js';
import type { WebhookEndpoint } from './webhook-endpoint.entity.js';
import type { WebhookEndpointObject } from './dto/webhook-endpoint.object.js';
import type { EventObject } from './dto/event.object.js';
import type { DeliveryObject } from './dto/delivery.object.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const presentEndpoint = (e: WebhookEndpoint, secret?: string): WebhookEndpointObject => ({
  id: e.id,
  object: 'webhook_endpoint',
  livemode: e.livemode,
  url: e.url,
  description: e.description,
  enabled_events: e.enabledEvents,
  status: e.enabled ? 'enabled' : 'disabled',
  disabled_reason: e.disabledReason,
  disabled_at: iso(e.disabledAt),
  failing_since: iso(e.failingSince),
  previous_secret_expires_at: e.previousSecretExpiresAt && e.previousSecretExpiresAt > new Date() ? e.previousSecretExpiresAt.toISOString() : null,
  ...(secret ? { secret } : {}),
  created_at: e.createdAt.toISOString(),
});

export const presentEvent = (e: EventRecord): EventObject => ({
  id: e.id,
  object: 'event',
  type: e.type,
  livemode: e.livemode,
  data: e.data,
  created_at: e.createdAt.toISOString(),
});

export const presentDelivery = (d: WebhookDelivery): DeliveryObject => ({
  id: d.id,
  object: 'webhook_delivery',
  event_id: d.eventId,
  endpoint_id: d.endpointId,
  url: d.url,
  status: d.status,
  attempts: d.attempts,
  next_attempt_at: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
  last_error: d.lastError,
  attempt_log: d.attemptLog,
  created_at: d.createdAt.toISOString(),
});
