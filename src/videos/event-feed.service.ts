import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThan, type Repository } from 'typeorm';
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
 * The one change feed of this process: every EVENTS_STREAM_POLL_MS, one query fetches the new
 * events of every object someone is streaming, and each stream gets its own. Reading the events
 * table (rather than pub/sub) keeps streams exact across API replicas and restarts: nothing
 * published while a stream was away is lost, since its cursor is a row in the table.
 */
@Injectable()
export class EventFeed implements OnModuleDestroy {
  private readonly logger = new Logger(EventFeed.name);
  private readonly subscribers = new Set<FeedSubscriber>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  /** Database queries the feed has made: what streams cost the database, whatever their number. */
  queries = 0;

  constructor(@InjectRepository(EventRecord) private readonly events: Repository<EventRecord>) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Starts delivering; call the returned function to stop. */
  subscribe(sub: FeedSubscriber): () => void {
    this.subscribers.add(sub);
    this.timer ??= setInterval(() => void this.poll(), videosEnv.get().EVENTS_STREAM_POLL_MS);
    return () => {
      this.subscribers.delete(sub);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  onModuleDestroy(): void {
    this.stop();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    // A slow query is not overlapped by the next tick: the pool is shared with every request.
    if (this.polling || this.subscribers.size === 0) return;
    this.polling = true;
    try {
      const subs = [...this.subscribers];
      const oldest = subs.reduce((min, s) => (s.after < min ? s.after : min), subs[0]!.after);
      this.queries++;
      const rows = await this.events.find({
        where: { objectId: In([...new Set(subs.map((s) => s.objectId))]), seq: MoreThan(oldest.toString()) },
        order: { seq: 'ASC' },
      });
      const byObject = new Map<string, EventRecord[]>();
      for (const row of rows) byObject.set(row.objectId, [...(byObject.get(row.objectId) ?? []), row]);
      for (const sub of subs) {
        if (!this.subscribers.has(sub)) continue;
        const fresh = (byObject.get(sub.objectId) ?? []).filter((e) => e.tenantId === sub.tenantId && BigInt(e.seq) > sub.after);
        if (fresh.length === 0) continue;
        sub.after = BigInt(fresh.at(-1)!.seq);
        sub.deliver(fresh);
      }
    } catch (e) {
      // The next tick retries from the same cursors, so nothing is skipped.
      this.logger.warn(`event feed poll failed: ${(e as Error).message}`);
    } finally {
      this.polling = false;
    }
  }
}
