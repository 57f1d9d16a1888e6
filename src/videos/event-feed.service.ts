import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThan, type Repository } from 'typeorm';
import { ChangeFeed } from '../platform/database/change-feed.js';
import { EventRecord } from '../platform/outbox/event.entity.js';
import { videosEnv } from './videos.env.js';

/** One open event stream, as the feed sees it. */
export interface FeedSubscriber {
  tenantId: string;
  objectId: string;
  /** seq of the last event the subscriber has; only later ones are delivered, in seq order. */
  after: bigint;
  deliver(events: EventRecord[]): void;
}

/**
 * The video event streams' change feed: every EVENTS_STREAM_POLL_MS, one query fetches the new
 * events of every object someone is streaming, and each stream gets its own. Its cursor is a row
 * of the events table, so nothing published while a stream was away is lost.
 */
@Injectable()
export class EventFeed extends ChangeFeed<FeedSubscriber, EventRecord> {
  constructor(@InjectRepository(EventRecord) events: Repository<EventRecord>) {
    super({
      name: 'event feed',
      pollMs: () => videosEnv.get().EVENTS_STREAM_POLL_MS,
      subscriberKey: (sub) => sub.objectId,
      rowKey: (row) => row.objectId,
      read: (objectIds, subs) => {
        const oldest = subs.reduce((min, s) => (s.after < min ? s.after : min), subs[0]!.after);
        return events.find({ where: { objectId: In(objectIds), seq: MoreThan(oldest.toString()) }, order: { seq: 'ASC' } });
      },
      deliver: (sub, rows) => {
        const fresh = rows.filter((e) => BigInt(e.seq) > sub.after);
        if (fresh.length === 0) return;
        sub.after = BigInt(fresh.at(-1)!.seq);
        sub.deliver(fresh);
      },
    });
  }
}
