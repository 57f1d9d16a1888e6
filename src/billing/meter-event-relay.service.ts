import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { StripeClient } from './stripe-client.js';
import { billingEnv } from './billing.env.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';

interface Due {
  video_id: string;
  video_seconds: number;
  created_at: Date;
  meter_attempts: number;
  stripe_customer_id: string;
}

/**
 * Sends live usage to Stripe's meter. usage_records is the outbox: each live row becomes one
 * meter event whose identifier is the row's id (the video id). Rows are claimed with SKIP LOCKED
 * and marked sent in the same transaction after Stripe accepted them; if we die in between, the
 * row is sent again with the same identifier and Stripe counts it once. Test-mode rows are never
 * sent, and a row waits until its tenant has a Stripe customer.
 */
@Injectable()
export class MeterEventRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MeterEventRelay.name);
  private readonly loop = new PollLoop({
    name: 'meter relay',
    run: () => this.tick(),
    next: (r) => (r.sent + r.failed === billingEnv.get().METER_RELAY_BATCH ? 0 : billingEnv.get().METER_RELAY_INTERVAL_MS),
    afterError: () => billingEnv.get().METER_RELAY_INTERVAL_MS,
  });

  constructor(@InjectDataSource() private readonly db: DataSource, private readonly stripe: StripeClient) {}

  onApplicationBootstrap(): void {
    if (this.stripe.get()) this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass over at most one batch; returns what was sent and what failed (and will be retried later). */
  async tick(): Promise<{ sent: number; failed: number }> {
    const stripe = this.stripe.get();
    if (!stripe) return { sent: 0, failed: 0 };
    const env = billingEnv.get();
    return this.db.transaction(async (tx) => {
      const rows: Due[] = await tx.query(
        `SELECT u.video_id, u.video_seconds, u.created_at, u.meter_attempts, a.stripe_customer_id
           FROM usage_records u JOIN billing_accounts a ON a.tenant_id = u.tenant_id
          WHERE u.livemode AND u.meter_sent_at IS NULL AND (u.meter_next_attempt_at IS NULL OR u.meter_next_attempt_at <= now())
          ORDER BY u.created_at LIMIT $1 FOR UPDATE OF u SKIP LOCKED`,
        [env.METER_RELAY_BATCH],
      );
      const sent: string[] = [];
      const failed: { id: string; attempts: number; error: string }[] = [];
      for (let i = 0; i < rows.length; i += env.METER_RELAY_CONCURRENCY) {
        await Promise.all(
          rows.slice(i, i + env.METER_RELAY_CONCURRENCY).map(async (r) => {
            try {
              await stripe.billing.meterEvents.create({
                event_name: env.STRIPE_METER_EVENT_NAME,
                identifier: r.video_id,
                timestamp: Math.floor(new Date(r.created_at).getTime() / 1000),
                payload: { stripe_customer_id: r.stripe_customer_id, value: String(r.video_seconds) },
              });
              sent.push(r.video_id);
            } catch (e) {
              failed.push({ id: r.video_id, attempts: r.meter_attempts + 1, error: (e as Error).message.slice(0, 500) });
            }
          }),
        );
      }
      if (sent.length) await tx.query('UPDATE usage_records SET meter_sent_at = now(), meter_attempts = meter_attempts + 1, meter_last_error = NULL WHERE video_id = ANY($1)', [sent]);
      for (const f of failed) {
        const delay = Math.min(env.METER_RETRY_BASE_MS * 2 ** (f.attempts - 1), env.METER_RETRY_MAX_MS);
        await tx.query(
          `UPDATE usage_records SET meter_attempts = $2, meter_last_error = $3, meter_next_attempt_at = now() + make_interval(secs => $4::float8 / 1000) WHERE video_id = $1`,
          [f.id, f.attempts, f.error, delay],
        );
      }
      if (failed.length) this.logger.warn(`meter relay: ${failed.length} of ${rows.length} meter events failed, retrying with backoff (first: ${failed[0]!.error})`);
      return { sent: sent.length, failed: failed.length };
    });
  }
}
