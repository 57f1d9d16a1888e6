import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ID_PREFIXES } from '../platform/http/ids.js';
import { traceCarrier } from '../platform/tracing/job-trace-context.js';
import { EventOutbox, type OutboxConsumer, type OutboxEvent, type OutboxStatement } from '../platform/outbox/event-outbox.js';
import type { EventRecord } from '../platform/outbox/event.entity.js';

/**
 * The outbox's webhook consumer: one pending delivery per interested endpoint (and the event's
 * per-request URL), written by the statement that writes the event (issue 36: the endpoints were
 * read and their deliveries written in two more statements per event); the relay hands due
 * deliveries to BullMQ. The rows written per event are bounded by
 * WEBHOOK_MAX_ENDPOINTS_PER_TENANT (+1 for the per-request URL), which is what keeps the
 * status-change transaction short; a platform event (model.changed, rare) writes one per
 * subscribed endpoint of every tenant.
 */
@Injectable()
export class WebhookFanout implements OutboxConsumer, OnModuleInit {
  constructor(private readonly outbox: EventOutbox) {}

  onModuleInit(): void {
    this.outbox.subscribe('webhooks', this);
  }

  write(event: EventRecord, source: OutboxEvent): OutboxStatement {
    // Stripe's model: an endpoint hears only events of its own mode. A platform event (no tenant) goes to every tenant's endpoints that want it.
    const endpoints =
      event.tenantId === null
        ? 'select id, url, tenant_id from webhook_endpoints where livemode = $5 and enabled and not deleted and enabled_events && $6::text[]'
        : `select id, url, tenant_id from webhook_endpoints where tenant_id = $7 and livemode = $5 and enabled and not deleted and enabled_events && $6::text[]
           union all select null, $8::text, $7 where $8::text is not null`;
    // A delivery's id is made here, as newId('webhookDelivery') makes one: the event's time and
    // 64 random bits (hex digits are ULID digits too).
    const sql = `insert into webhook_deliveries (id, event_id, endpoint_id, url, tenant_id, status, next_attempt_at, window_started_at, trace)
      select $2 || substr(md5(random()::text || t.url), 1, 16), $1, t.id, t.url, t.tenant_id, 'pending', $3, $3, $4::jsonb from (${endpoints}) t`;
    const now = new Date();
    const trace = traceCarrier() ?? null;
    const values: unknown[] = [
      event.id,
      `${ID_PREFIXES.webhookDelivery}_${ulidTime(event.id)}`,
      now,
      trace && JSON.stringify(trace),
      event.livemode,
      ['*', event.type],
    ];
    if (event.tenantId !== null) values.push(event.tenantId, source.callbackUrl ?? null);
    return { sql, values };
  }
}

/** The time part (first 10 digits) of an id's ULID. */
function ulidTime(id: string): string {
  return id.slice(id.indexOf('_') + 1, id.indexOf('_') + 11);
}
