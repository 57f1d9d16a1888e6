import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, IsNull, type Repository } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { paginate } from '../platform/http/pagination.js';
import { EventRecord } from '../platform/outbox/event.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import type { ListEventsQuery } from './dto/event.object.js';
import { AuditService, type Actor } from '../audit/index.js';

@Injectable()
export class EventsService {
  constructor(
    @InjectRepository(EventRecord) private readonly events: Repository<EventRecord>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** `livemode`: the calling key's mode; events of the other mode are not shown. */
  list(tenantId: string, query: ListEventsQuery, livemode: boolean) {
    // Platform events (model.changed) belong to no tenant and are shown to all.
    const qb = this.events
      .createQueryBuilder('e')
      .where('(e.tenant_id = :tenantId OR e.tenant_id IS NULL)', { tenantId })
      .andWhere('e.livemode = :livemode', { livemode });
    if (query.type) qb.andWhere('e.type = :type', { type: query.type });
    if (query.object_id) qb.andWhere('e.object_id = :objectId', { objectId: query.object_id });
    return paginate(qb, query);
  }

  async get(tenantId: string, id: string, livemode: boolean): Promise<EventRecord> {
    const event = await this.events.findOne({
      where: [
        { id, tenantId, livemode },
        { id, tenantId: IsNull(), livemode },
      ],
    });
    if (!event) throw notFound('event', id);
    return event;
  }

  /**
   * Sends the event again (same webhook-id) to every enabled endpoint that wants its type, and to
   * its per-request URL if it had one. Finished deliveries restart with a fresh retry window;
   * ones still pending are already on their way and are left alone.
   */
  async redeliver(actor: Actor, tenantId: string, id: string, livemode: boolean): Promise<WebhookDelivery[]> {
    const event = await this.get(tenantId, id, livemode);
    return this.db.transaction(async (tx) => {
      const endpoints = await tx
        .createQueryBuilder(WebhookEndpoint, 'e')
        .where('e.tenant_id = :tenantId AND e.livemode = :livemode AND e.enabled AND NOT e.deleted', { tenantId, livemode: event.livemode })
        .andWhere('e.enabled_events && :types', { types: ['*', event.type] })
        .getMany();
      // A platform event has deliveries to every tenant's endpoints: only this tenant's are its to restart.
      const existing = await tx.findBy(WebhookDelivery, { eventId: id, tenantId });
      const wanted = existing.filter((d) => d.endpointId === null || endpoints.some((e) => e.id === d.endpointId));
      const now = new Date();
      const fresh = endpoints
        .filter((e) => !existing.some((d) => d.endpointId === e.id))
        .map((e) =>
          tx.create(WebhookDelivery, {
            id: newId('webhookDelivery'),
            tenantId,
            eventId: id,
            endpointId: e.id,
            url: e.url,
            status: 'pending',
            nextAttemptAt: now,
            windowStartedAt: now,
          }),
        );
      if (!wanted.length && !fresh.length) {
        throw new DomainError('no_webhook_targets', `No enabled webhook endpoint subscribes to '${event.type}', and the event had no per-request webhook_url.`);
      }
      const restart = wanted.filter((d) => d.status !== 'pending').map((d) => d.id);
      if (restart.length)
        await tx.update(WebhookDelivery, { id: In(restart) }, { status: 'pending', nextAttemptAt: now, enqueuedAt: null, windowStartedAt: now });
      if (fresh.length) await tx.insert(WebhookDelivery, fresh);
      await this.audit.record(tx, actor, {
        tenantId,
        action: 'event.redelivered',
        targetType: 'event',
        targetId: id,
        after: { deliveries: wanted.length + fresh.length },
      });
      return tx.findBy(WebhookDelivery, { id: In([...wanted.map((d) => d.id), ...fresh.map((d) => d.id)]) });
    });
  }
}
