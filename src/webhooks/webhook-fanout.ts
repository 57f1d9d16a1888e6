import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import { EventOutbox, type OutboxConsumer, type OutboxEvent } from '../platform/outbox/event-outbox.js';
import type { EventRecord } from '../platform/outbox/event.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

/**
 * The outbox's webhook consumer: one pending delivery per interested endpoint (and the event's
 * per-request URL) in the producer's transaction; the relay hands due deliveries to BullMQ.
 * The rows written per event are bounded by WEBHOOK_MAX_ENDPOINTS_PER_TENANT (+1 for the
 * per-request URL), which is what keeps the status-change transaction short.
 */
@Injectable()
export class WebhookFanout implements OutboxConsumer, OnModuleInit {
  constructor(private readonly outbox: EventOutbox) {}

  onModuleInit(): void {
    this.outbox.subscribe('webhooks', this);
  }

  async onEvent(tx: EntityManager, event: EventRecord, source: OutboxEvent): Promise<void> {
    const endpoints = await tx
      .createQueryBuilder(WebhookEndpoint, 'e')
      // Stripe's model: an endpoint hears only events of its own mode.
      .where('e.tenant_id = :tenantId AND e.livemode = :livemode AND e.enabled AND NOT e.deleted', { tenantId: event.tenantId, livemode: event.livemode })
      .andWhere('e.enabled_events && :types', { types: ['*', event.type] })
      .getMany();
    const targets = endpoints.map((e) => ({ endpointId: e.id as string | null, url: e.url }));
    if (source.callbackUrl) targets.push({ endpointId: null, url: source.callbackUrl });
    if (targets.length) {
      const now = new Date();
      await tx.insert(
        WebhookDelivery,
        targets.map((t) => ({ id: newId('webhookDelivery'), tenantId: event.tenantId, eventId: event.id, ...t, status: 'pending' as const, nextAttemptAt: now, windowStartedAt: now })),
      );
    }
  }
}
