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

/** A statement of its own, with its own `$1…` placeholders, run as part of the statement that inserts an event. */
export interface OutboxStatement {
  sql: string;
  values: unknown[];
}

/** Reacts to an event in the statement that writes it; webhooks plan their deliveries this way. */
export interface OutboxConsumer {
  /**
   * The consumer's own rows for the event: a data-modifying statement over its own tables, run as
   * a part of the statement that inserts the event, so an event and everything it causes are one
   * statement (issue 36: a submit wrote its event, read the endpoints that hear it, then wrote their
   * deliveries); null when it has nothing to write.
   */
  write(event: EventRecord, source: OutboxEvent): OutboxStatement | null;
}

const INSERT_EVENT =
  'insert into events (id, tenant_id, type, object_id, data, livemode) values ($1, $2, $3, $4, $5::jsonb, $6) returning seq as outbox_seq, created_at as outbox_created_at';

/** The prefix of the names a `recordWith` change returns. */
const CHANGED = 'changed_';

/**
 * Writes an event inside the caller's transaction, so a state change and everything it causes
 * (the event row, the consumers' rows, written by the same statement) commit or roll back
 * together: the outbox. Producers know nothing of the consumers; relays in the worker act on the
 * committed rows afterwards.
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
   * `changed`. One statement commits as a whole, so `tx` may also be the data source's manager
   * when nothing else needs to commit with it.
   */
  async recordWith(
    tx: EntityManager,
    changes: [OutboxStatement, ...OutboxStatement[]],
    source: OutboxEvent,
  ): Promise<{ event: EventRecord; changed: Record<string, unknown> }> {
    const { event, row } = await this.write(tx, source, changes);
    const changed: Record<string, unknown> = {};
    for (const k in row) if (k.startsWith(CHANGED)) changed[k] = row[k];
    return { event, changed };
  }

  private async write(tx: EntityManager, source: OutboxEvent, changes: OutboxStatement[]) {
    const event = tx.create(EventRecord, {
      id: newId('event'),
      tenantId: source.tenantId,
      type: source.type,
      objectId: source.subjectId,
      data: source.data,
      livemode: source.livemode,
    });
    const values: unknown[] = [event.id, event.tenantId, event.type, event.objectId, JSON.stringify(event.data), event.livemode];
    const parts: string[] = [];
    const add = (name: string, statement: OutboxStatement) => {
      const by = values.length;
      parts.push(`${name} as (${statement.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + by}`)})`);
      values.push(...statement.values);
    };
    for (const [i, change] of changes.entries()) add(`ch${i}`, change);
    parts.push(`ev as (${INSERT_EVENT})`);
    for (const [i, consumer] of [...this.consumers.values()].entries()) {
      const statement = consumer.write(event, source);
      if (statement) add(`co${i}`, statement);
    }
    const sql =
      parts.length === 1
        ? INSERT_EVENT
        : `with ${parts.join(', ')} select ev.outbox_seq, ev.outbox_created_at${changes.length ? ', ch0.*' : ''} from ev${changes.length ? ' cross join ch0' : ''}`;
    const [row] = (await tx.query(sql, values)) as Record<string, unknown>[];
    event.seq = String(row!.outbox_seq);
    event.createdAt = row!.outbox_created_at as Date;
    return { event, row: row! };
  }
}
