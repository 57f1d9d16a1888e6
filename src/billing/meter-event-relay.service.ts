import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { StripeClient } from './stripe-client.js';
import { billingEnv } from './billing.env.js';
import { surchargedResolutions, surchargeMeterEventName } from '../pricing/index.js';
import type { Resolution } from '../core/video-format.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';
import { isStripeUnreachable } from './stripe-failures.js';

interface Due {
  video_id: string;
  video_seconds: number;
  created_at: Date;
  meter_attempts: number;
  stripe_customer_id: string;
  resolution: Resolution;
  overage_seconds: number;
  credits_applied_minor: number;
  currency: string;
}

/**
 * Sends live usage to Stripe's meter. usage_records is the outbox: each live row becomes one
 * meter event whose identifier is the row's id (the video id). Rows are claimed with SKIP LOCKED
 * and marked sent in the same transaction after Stripe accepted them; if we die in between, the
 * row is sent again with the same identifier and Stripe counts it once. Test-mode rows are never
 * sent, and a row waits until its tenant has a Stripe customer. Overage seconds at a resolution
 * that costs more also go to that resolution's surcharge meter, with the identifier `<video>_overage`;
 * credit drawn by the video becomes a customer balance credit (idempotency key `leoma-credit-<video>`).
 * When Stripe is down or hangs, a pass stops after the first round of sends that found it so: the
 * rest of the batch waits for the next pass instead of each waiting out the timeout while the
 * claimed rows stay locked.
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
        `SELECT u.video_id, u.video_seconds, u.created_at, u.meter_attempts, a.stripe_customer_id, u.resolution, u.overage_seconds, u.credits_applied_minor, u.currency
           FROM usage_records u JOIN billing_accounts a ON a.tenant_id = u.tenant_id
          WHERE u.livemode AND u.meter_sent_at IS NULL AND (u.meter_next_attempt_at IS NULL OR u.meter_next_attempt_at <= now())
          ORDER BY u.created_at LIMIT $1 FOR UPDATE OF u SKIP LOCKED`,
        [env.METER_RELAY_BATCH],
      );
      const sent: string[] = [];
      const surcharged = surchargedResolutions();
      const failed: { id: string; attempts: number; error: string }[] = [];
      let stripeDown = false;
      for (let i = 0; i < rows.length && !stripeDown; i += env.METER_RELAY_CONCURRENCY) {
        await Promise.all(
          rows.slice(i, i + env.METER_RELAY_CONCURRENCY).map(async (r) => {
            try {
              const timestamp = Math.floor(new Date(r.created_at).getTime() / 1000);
              await stripe.billing.meterEvents.create({
                event_name: env.STRIPE_METER_EVENT_NAME,
                identifier: r.video_id,
                timestamp,
                payload: { stripe_customer_id: r.stripe_customer_id, value: String(r.video_seconds) },
              });
              // A dearer resolution's overage seconds also go to its surcharge meter (the same row, its own identifier).
              if (r.overage_seconds > 0 && surcharged.includes(r.resolution)) {
                await stripe.billing.meterEvents.create({
                  event_name: surchargeMeterEventName(env.STRIPE_METER_EVENT_NAME, r.resolution),
                  identifier: `${r.video_id}_overage`,
                  timestamp,
                  payload: { stripe_customer_id: r.stripe_customer_id, value: String(r.overage_seconds) },
                });
              }
              // Prepaid credit paid for part of this video: the same amount goes on the customer's
              // balance, so the invoice charges only what credits did not cover (our ledger is the source).
              if (r.credits_applied_minor > 0) {
                await stripe.customers.createBalanceTransaction(
                  r.stripe_customer_id,
                  { amount: -r.credits_applied_minor, currency: r.currency.trim(), description: `Prepaid credit used by ${r.video_id}`, metadata: { video_id: r.video_id } },
                  { idempotencyKey: `leoma-credit-${r.video_id}` },
                );
              }
              sent.push(r.video_id);
            } catch (e) {
              if (isStripeUnreachable(e)) stripeDown = true;
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
      if (failed.length) this.logger.warn(`meter relay: ${failed.length} of ${rows.length} meter events failed, retrying with backoff${stripeDown ? ', the rest of the batch next pass' : ''} (first: ${failed[0]!.error})`);
      return { sent: sent.length, failed: failed.length };
    });
  }
}
