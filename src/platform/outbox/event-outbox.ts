import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../http/ids.js';
import { appEnv } from '../config/app.env.js';
import { EventRecord, type EventData, type EventType } from './event.entity.js';

/** Link to the API resource: absolute when PUBLIC_BASE_URL is set, else the path. */
export function resourceUrl(path: string): string {
  return (appEnv.get().PUBLIC_BASE_URL?.replace(/\/$/, '') ?? '') + path;
}

/** Something that happened to one of a tenant's objects, as the module that owns the object tells it. */
export interface OutboxEvent {
  type: EventType;
  /** Null: a platform event about no tenant's object (model.changed). */
  tenantId: string | null;
  /** The object the event is about: a video today; batches, invoices and payouts write here too. */
  subjectId: string;
  data: EventData;
  livemode: boolean;
  /** A per-request callback URL the object was created with (a video's webhook_url), if any. */
  callbackUrl?: string | null;
}

/** Reacts to an event inside the producer's transaction; webhooks plan their deliveries this way. */
export interface OutboxConsumer {
  onEvent(tx: EntityManager, event: EventRecord, source: OutboxEvent): Promise<void>;
}

/**
 * Writes an event inside the caller's transaction, so a state change and everything it causes
 * (the event row, the consumers' rows) commit or roll back together: the outbox. Producers know
 * nothing of the consumers; relays in the worker act on the committed rows afterwards.
 */
@Injectable()
export class EventOutbox {
  private readonly consumers = new Map<string, OutboxConsumer>();

  /** Keyed by name: a consumer provided by more than one module of a process registers once. */
  subscribe(name: string, consumer: OutboxConsumer): void {
    this.consumers.set(name, consumer);
  }

  async record(tx: EntityManager, source: OutboxEvent): Promise<EventRecord> {
    const event = tx.create(EventRecord, {
      id: newId('event'),
      tenantId: source.tenantId,
      type: source.type,
      objectId: source.subjectId,
      data: source.data,
      livemode: source.livemode,
    });
    await tx.insert(EventRecord, event);
    for (const consumer of this.consumers.values()) await consumer.onEvent(tx, event, source);
    return event;
  }
}
