import { Logger, type OnModuleDestroy } from '@nestjs/common';

/** What the feed needs of a subscriber: the tenant whose rows it may see. */
export interface ChangeFeedSubscriber {
  tenantId: string;
}

/** How a feature's feed reads its table and routes what it read. */
export interface ChangeFeedSource<S extends ChangeFeedSubscriber, R extends { tenantId: string | null }> {
  /** Names the feed in the log line of a failed poll. */
  name: string;
  /** Milliseconds between polls; read when the first subscriber arrives. */
  pollMs: () => number;
  /** The key a subscriber follows (an object id); a row goes to the subscribers of its key. */
  subscriberKey: (sub: S) => string;
  rowKey: (row: R) => string;
  /** ONE query for what every subscriber waits for: `keys` are their distinct keys, `subs` carry any cursors. */
  read: (keys: string[], subs: readonly S[]) => Promise<R[]>;
  /** Hands a subscriber its rows (its key, its tenant, in the order read); called only when there is one at least. */
  deliver: (sub: S, rows: R[]) => void;
}

/**
 * A process's change feed for one table: while anyone subscribes, every `pollMs` one query reads
 * what all subscribers wait for, and each gets its own rows. One query per tick whatever the
 * number of streams keeps what they cost the shared pool flat; reading the table (rather than
 * pub/sub) keeps them exact across replicas and restarts. Features subclass it as their provider.
 */
export class ChangeFeed<S extends ChangeFeedSubscriber, R extends { tenantId: string | null }> implements OnModuleDestroy {
  private readonly logger = new Logger(this.constructor.name);
  private readonly subscribers = new Set<S>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  /** Database queries the feed has made: what streams cost the database, whatever their number. */
  queries = 0;

  constructor(private readonly source: ChangeFeedSource<S, R>) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Starts delivering; call the returned function to stop. */
  subscribe(sub: S): () => void {
    this.subscribers.add(sub);
    this.timer ??= setInterval(() => void this.poll(), this.source.pollMs());
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
      this.queries++;
      const rows = await this.source.read([...new Set(subs.map((s) => this.source.subscriberKey(s)))], subs);
      const byKey = new Map<string, R[]>();
      for (const row of rows) {
        const key = this.source.rowKey(row);
        byKey.set(key, [...(byKey.get(key) ?? []), row]);
      }
      for (const sub of subs) {
        // Gone since the query began: its stream has ended and must not be written to.
        if (!this.subscribers.has(sub)) continue;
        const own = (byKey.get(this.source.subscriberKey(sub)) ?? []).filter((row) => row.tenantId === sub.tenantId);
        if (own.length > 0) this.source.deliver(sub, own);
      }
    } catch (e) {
      // The next tick asks again from the same cursors, so nothing is skipped.
      this.logger.warn(`${this.source.name} poll failed: ${(e as Error).message}`);
    } finally {
      this.polling = false;
    }
  }
}
