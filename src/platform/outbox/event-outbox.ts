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

/** The prefix of the names a `recordWith` change returns, which keeps them apart from a lookup's. */
const CHANGED = 'changed_';

/** A lookup's row without the statement's own columns. */
function withoutOwn(row: Record<string, unknown>): Record<string, unknown> {
  const own: Record<string, unknown> = {};
  for (const k in row) if (!k.startsWith('outbox_') && !k.startsWith(CHANGED)) own[k] = row[k];
  return own;
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
    return (await this.write(tx, source, [])).event;
  }

  /**
   * The producer's own writes and its event in one statement (issue 36: a submit wrote its video,
   * its event and its stored response in three). Each change is a data-modifying statement over
   * the producer's tables (or ones it was handed by their owner), with its own `$1…`
   * placeholders; they run as the first parts of the statement that inserts the event. The first
   * must return exactly one row, with names that all start with `changed_`: it comes back as
   * `changed`.
   */
  async recordWith(
    tx: EntityManager,
    changes: [OutboxLookup, ...OutboxLookup[]],
    source: OutboxEvent,
  ): Promise<{ event: EventRecord; changed: Record<string, unknown> }> {
    const { event, changed } = await this.write(tx, source, changes);
    return { event, changed: changed! };
  }

  private async write(tx: EntityManager, source: OutboxEvent, changes: OutboxLookup[]) {
    const event = tx.create(EventRecord, {
      id: newId('event'),
      tenantId: source.tenantId,
      type: source.type,
      objectId: source.subjectId,
      data: source.data,
      livemode: source.livemode,
    });
    const values: unknown[] = [event.id, event.tenantId, event.type, event.objectId, JSON.stringify(event.data), event.livemode];
    const shift = (sql: string) => {
      const by = values.length;
      return sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + by}`);
    };
    const consumers = [...this.consumers.values()];
    // One consumer's lookup rides on the insert; `outbox_row` tells its rows from the one row the
    // left join gives when it finds none.
    const joined = consumers.find((c) => c.lookup);
    const parts: string[] = [];
    for (const [i, change] of changes.entries()) {
      parts.push(`ch${i} as (${shift(change.sql)})`);
      values.push(...change.values);
    }
    parts.push(`ev as (${INSERT_EVENT})`);
    let select = 'select ev.outbox_seq, ev.outbox_created_at';
    let from = 'from ev';
    if (changes.length) {
      select += ', ch0.*';
      from += ' cross join ch0';
    }
    if (joined) {
      const lookup = joined.lookup!(event, source);
      from += ` left join lateral (select true as outbox_row, x.* from (${shift(lookup.sql)}) x) l on true`;
      values.push(...lookup.values);
      select += ', l.*';
    }
    const sql = changes.length || joined ? `with ${parts.join(', ')} ${select} ${from}` : INSERT_EVENT;
    const rows = (await tx.query(sql, values)) as Record<string, unknown>[];
    event.seq = String(rows[0]!.outbox_seq);
    event.createdAt = rows[0]!.outbox_created_at as Date;
    const found = rows.filter((r) => r.outbox_row === true).map((r) => withoutOwn(r));
    for (const consumer of consumers) await consumer.onEvent(tx, event, source, consumer === joined ? found : undefined);
    return { event, changed: changes.length ? Object.fromEntries(Object.entries(rows[0]!).filter(([k]) => k.startsWith(CHANGED))) : undefined };
  }
}
