import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { JobName, QueueName, type JobPayloads } from '../platform/queue/queue-names.js';
import { webhooksEnv } from './webhooks.env.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';

const BATCH = 200;

/**
 * Moves due deliveries from the outbox (webhook_deliveries) into BullMQ. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several workers can relay at once. If we die after enqueuing but
 * before committing, the row is relayed again; the job handler ignores jobs for an attempt that
 * is no longer current, so the worst case is one duplicate POST (at-least-once, same webhook-id).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop = new PollLoop({
    name: 'outbox relay',
    run: () => this.tick(),
    next: (moved) => (moved === BATCH ? 0 : webhooksEnv.get().WEBHOOK_RELAY_INTERVAL_MS),
    afterError: () => webhooksEnv.get().WEBHOOK_RELAY_INTERVAL_MS,
  });

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass; returns how many deliveries were enqueued. */
  async tick(): Promise<number> {
    const staleMs = webhooksEnv.get().WEBHOOK_STALE_AFTER_MS;
    return this.db.transaction(async (tx) => {
      const rows: { id: string; attempts: number; trace: Record<string, string> | null }[] = await tx.query(
        `select id, attempts, trace from webhook_deliveries
          where status = 'pending' and next_attempt_at <= now()
            and (enqueued_at is null or enqueued_at < now() - make_interval(secs => $1::float8 / 1000))
          order by next_attempt_at limit ${BATCH} for update skip locked`,
        [staleMs],
      );
      if (!rows.length) return 0;
      await this.queue.addBulk(
        rows.map((r) => {
          const data: JobPayloads[JobName.DeliverWebhook] = { deliveryId: r.id, attempt: r.attempts + 1, ...(r.trace ? { trace: r.trace } : {}) };
          return { name: JobName.DeliverWebhook, data, opts: { removeOnComplete: { age: 3600 }, removeOnFail: { age: 7 * 24 * 3600 } } };
        }),
      );
      await tx.query('update webhook_deliveries set enqueued_at = now() where id = any($1)', [rows.map((r) => r.id)]);
      return rows.length;
    });
  }
}
