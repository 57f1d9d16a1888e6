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

/** A select over a consumer's own tables, with its own `$1…` placeholders. */
export interface OutboxLookup {
  sql: string;
  values: unknown[];
}

/** Reacts to an event inside the producer's transaction; webhooks plan their deliveries this way. */
export interface OutboxConsumer {
  /**
   * What the consumer needs to read for the event (webhooks: the endpoints that hear it). It runs
   * in the statement that inserts the event, and its rows come to onEvent: one round trip fewer per
   * event (issue 36: every submit wrote its event and then read the endpoints).
   */
  lookup?(event: EventRecord, source: OutboxEvent): OutboxLookup;
  onEvent(tx: EntityManager, event: EventRecord, source: OutboxEvent, rows?: Record<string, unknown>[]): Promise<void>;
}

const INSERT_EVENT =
  'insert into events (id, tenant_id, type, object_id, data, livemode) values ($1, $2, $3, $4, $5::jsonb, $6) returning seq as outbox_seq, created_at as outbox_created_at';

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
    const values: unknown[] = [event.id, event.tenantId, event.type, event.objectId, JSON.stringify(event.data), event.livemode];
    const consumers = [...this.consumers.values()];
    // One consumer's lookup rides on the insert; `outbox_row` tells its rows from the one row the
    // left join gives when it finds none.
    const joined = consumers.find((c) => c.lookup);
    let sql = INSERT_EVENT;
    if (joined) {
      const lookup = joined.lookup!(event, source);
      const shifted = lookup.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + values.length}`);
      sql = `with ev as (${INSERT_EVENT}) select ev.outbox_seq, ev.outbox_created_at, l.* from ev left join lateral (select true as outbox_row, x.* from (${shifted}) x) l on true`;
      values.push(...lookup.values);
    }
    const rows = (await tx.query(sql, values)) as Record<string, unknown>[];
    event.seq = String(rows[0]!.outbox_seq);
    event.createdAt = rows[0]!.outbox_created_at as Date;
    const found = rows.filter((r) => r.outbox_row === true).map(({ outbox_seq: _s, outbox_created_at: _c, outbox_row: _r, ...row }) => row);
    for (const consumer of consumers) await consumer.onEvent(tx, event, source, consumer === joined ? found : undefined);
    return event;
  }
}
