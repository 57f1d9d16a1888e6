import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { IDEMPOTENCY_WINDOW_MS, purgeIdempotencyKeys } from '../idempotency/index.js';
import { purgeDeliveredEvents, purgeWebhookDeliveries } from '../webhooks/index.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';
import { retentionEnv } from './retention.env.js';

/** What "now" is for the purge; tests give it another clock. */
export const PURGE_CLOCK = Symbol('PURGE_CLOCK');
export type Clock = () => Date;

export interface PurgeResult {
  /** False when another worker held the purge lock, so this pass did nothing. */
  ran: boolean;
  idempotencyKeys: number;
  webhookDeliveries: number;
  events: number;
}

const DAY_MS = 86_400_000;
// One purge at a time across all workers (pg_try_advisory_xact_lock key).
const LOCK = 'retention-purge';

/**
 * Deletes rows of the append-only tables past their windows: idempotency keys after 24 h, finished
 * webhook deliveries and events after their retention days. An event goes only once no delivery
 * row refers to it. Each pass is one short transaction under a lock only one worker holds, and
 * deletes at most a batch per table; a full batch schedules the next pass at once.
 */
@Injectable()
export class RetentionPurge implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop = new PollLoop({
    name: 'retention purge',
    run: () => this.purgeOnce(),
    next: (r) =>
      Math.max(r.idempotencyKeys, r.webhookDeliveries, r.events) >= retentionEnv.get().RETENTION_PURGE_BATCH
        ? 0
        : retentionEnv.get().RETENTION_PURGE_INTERVAL_MS,
    afterError: () => retentionEnv.get().RETENTION_PURGE_INTERVAL_MS,
  });

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PURGE_CLOCK) private readonly now: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start(retentionEnv.get().RETENTION_PURGE_INTERVAL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  purgeOnce(): Promise<PurgeResult> {
    const env = retentionEnv.get();
    const now = this.now().getTime();
    return this.db.transaction(async (tx) => {
      const [{ locked }] = (await tx.query('select pg_try_advisory_xact_lock(hashtext($1)) as locked', [LOCK])) as { locked: boolean }[];
      if (!locked) return { ran: false, idempotencyKeys: 0, webhookDeliveries: 0, events: 0 };
      const idempotencyKeys = await purgeIdempotencyKeys(tx, new Date(now - IDEMPOTENCY_WINDOW_MS), env.RETENTION_PURGE_BATCH);
      const webhookDeliveries = await purgeWebhookDeliveries(tx, new Date(now - env.WEBHOOK_DELIVERY_RETENTION_DAYS * DAY_MS), env.RETENTION_PURGE_BATCH);
      const events = await purgeDeliveredEvents(tx, new Date(now - env.EVENTS_RETENTION_DAYS * DAY_MS), env.RETENTION_PURGE_BATCH);
      return { ran: true, idempotencyKeys, webhookDeliveries, events };
    });
  }
}
