import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { PollLoop } from '../../platform/scheduling/poll-loop.js';
import { JobName, QueueName, type JobPayloads } from '../../platform/queue/queue-names.js';
import { StripeClient } from './stripe-client.js';
import { billingEnv } from '../billing.env.js';
import { stripeEventJobOptions } from './stripe-event-job.js';

/**
 * A stored Stripe event whose job gave up (Stripe or the database down for longer than its
 * retries) or was lost is queued again: we answered Stripe 200, so Stripe will not redeliver it,
 * and nothing else would. Idempotent (the job id is the event id), so every worker may run it.
 */
@Injectable()
export class StripeEventSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop = new PollLoop({
    name: 'stripe event sweep',
    run: () => this.tick(),
    next: () => billingEnv.get().STRIPE_EVENT_SWEEP_MS,
    afterError: () => billingEnv.get().STRIPE_EVENT_SWEEP_MS,
    logLevel: 'warn',
  });

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Billing) private readonly queue: Queue,
    private readonly stripe: StripeClient,
  ) {}

  onApplicationBootstrap(): void {
    if (this.stripe.get()) this.loop.start(billingEnv.get().STRIPE_EVENT_SWEEP_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass; returns the events queued again. */
  async tick(): Promise<number> {
    const env = billingEnv.get();
    // Older than one sweep interval: the intake's own enqueue has had its chance.
    const open: { id: string }[] = await this.db.query(
      `SELECT id FROM stripe_events WHERE processed_at IS NULL AND received_at < now() - make_interval(secs => $1::float8 / 1000) ORDER BY received_at LIMIT 100`,
      [env.STRIPE_EVENT_SWEEP_MS],
    );
    let requeued = 0;
    for (const { id } of open) {
      const job = await this.queue.getJob(id);
      if (job && (await job.getState()) !== 'failed') continue;
      await job?.remove();
      const data: JobPayloads[JobName.ProcessStripeEvent] = { eventId: id };
      await this.queue.add(JobName.ProcessStripeEvent, data, stripeEventJobOptions(id));
      requeued++;
    }
    return requeued;
  }
}
