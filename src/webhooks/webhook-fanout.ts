import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import { traceCarrier } from '../platform/tracing/job-trace-context.js';
import { EventOutbox, type OutboxConsumer, type OutboxEvent } from '../platform/outbox/event-outbox.js';
import type { EventRecord } from '../platform/outbox/event.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

/**
 * The outbox's webhook consumer: one pending delivery per interested endpoint (and the event's
 * per-request URL) in the producer's transaction; the relay hands due deliveries to BullMQ.
 * The rows written per event are bounded by WEBHOOK_MAX_ENDPOINTS_PER_TENANT (+1 for the
 * per-request URL), which is what keeps the status-change transaction short; a platform event
 * (model.changed, rare) writes one per subscribed endpoint of every tenant.
 */
@Injectable()
export class WebhookFanout implements OutboxConsumer, OnModuleInit {
  constructor(private readonly outbox: EventOutbox) {}

  onModuleInit(): void {
    this.outbox.subscribe('webhooks', this);
  }

  async onEvent(tx: EntityManager, event: EventRecord, source: OutboxEvent): Promise<void> {
    const qb = tx.createQueryBuilder(WebhookEndpoint, 'e');
    // Stripe's model: an endpoint hears only events of its own mode. A platform event (no tenant) goes to every tenant's endpoints that want it.
    if (event.tenantId === null) qb.where('e.livemode = :livemode AND e.enabled AND NOT e.deleted', { livemode: event.livemode });
    else qb.where('e.tenant_id = :tenantId AND e.livemode = :livemode AND e.enabled AND NOT e.deleted', { tenantId: event.tenantId, livemode: event.livemode });
    const endpoints = await qb.andWhere('e.enabled_events && :types', { types: ['*', event.type] }).getMany();
    const targets = endpoints.map((e) => ({ endpointId: e.id as string | null, url: e.url, tenantId: e.tenantId }));
    if (source.callbackUrl && event.tenantId !== null) targets.push({ endpointId: null, url: source.callbackUrl, tenantId: event.tenantId });
    if (targets.length) {
      const now = new Date();
      const trace = traceCarrier() ?? null;
      await tx.insert(
        WebhookDelivery,
        targets.map((t) => ({
          id: newId('webhookDelivery'),
          eventId: event.id,
          ...t,
          status: 'pending' as const,
          nextAttemptAt: now,
          windowStartedAt: now,
          trace,
        })),
      );
    }
  }
}
