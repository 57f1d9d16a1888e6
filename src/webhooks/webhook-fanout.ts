import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import { traceCarrier } from '../platform/tracing/job-trace-context.js';
import { EventOutbox, type OutboxConsumer, type OutboxEvent, type OutboxLookup } from '../platform/outbox/event-outbox.js';
import type { EventRecord } from '../platform/outbox/event.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';

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

  /** The endpoints that hear the event, read in the statement that writes it (see EventOutbox). */
  lookup(event: EventRecord): OutboxLookup {
    const types = ['*', event.type];
    // Stripe's model: an endpoint hears only events of its own mode. A platform event (no tenant) goes to every tenant's endpoints that want it.
    return event.tenantId === null
      ? {
          sql: 'select id, url, tenant_id from webhook_endpoints where livemode = $1 and enabled and not deleted and enabled_events && $2::text[]',
          values: [event.livemode, types],
        }
      : {
          sql: 'select id, url, tenant_id from webhook_endpoints where tenant_id = $1 and livemode = $2 and enabled and not deleted and enabled_events && $3::text[]',
          values: [event.tenantId, event.livemode, types],
        };
  }

  async onEvent(tx: EntityManager, event: EventRecord, source: OutboxEvent, rows?: Record<string, unknown>[]): Promise<void> {
    let endpoints = rows;
    if (!endpoints) {
      const { sql, values } = this.lookup(event);
      endpoints = (await tx.query(sql, values)) as Record<string, unknown>[];
    }
    const targets = endpoints.map((e) => ({ endpointId: e.id as string | null, url: e.url as string, tenantId: e.tenant_id as string }));
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
