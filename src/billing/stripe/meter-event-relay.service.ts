import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type Stripe from 'stripe';
import { StripeClient } from './stripe-client.js';
import { billingEnv } from '../billing.env.js';
import {
  claimMeterDue,
  markMeterFailed,
  markMeterSent,
  meterDueTenants,
  surchargedResolutions,
  surchargeMeterEventName,
  type MeterDue,
  type MeterStepColumn,
} from '../../usage/index.js';
import { PollLoop } from '../../platform/scheduling/poll-loop.js';
import { isStripeUnreachable } from './stripe-failures.js';

type Due = MeterDue & { stripe_customer_id: string };

/** A step of a row's relay, its column, and whether the row needs it at all. */
export const METER_STEPS = [
  { name: 'seconds meter event', column: 'meter_event_sent_at' },
  { name: 'surcharge meter event', column: 'meter_surcharge_sent_at' },
  { name: 'balance credit', column: 'meter_credit_sent_at' },
] as const satisfies readonly { name: string; column: MeterStepColumn }[];
type StepColumn = (typeof METER_STEPS)[number]['column'];

/** The steps a usage row needs: the seconds always, the surcharge for a dearer resolution's overage, the balance credit for credit drawn. */
export function meterStepsDue(r: { overage_seconds: number; resolution: string; credits_applied_minor: number }, surcharged: readonly string[]): StepColumn[] {
  return [
    'meter_event_sent_at',
    ...(r.overage_seconds > 0 && surcharged.includes(r.resolution) ? (['meter_surcharge_sent_at'] as const) : []),
    ...(r.credits_applied_minor > 0 ? (['meter_credit_sent_at'] as const) : []),
  ];
}

/**
 * Sends live usage to Stripe's meter. usage_records is the outbox: each live row becomes up to three
 * Stripe calls — the meter event whose identifier is the row's id (the video id); the overage
 * seconds at a resolution that costs more on that resolution's surcharge meter, identifier
 * `<video>_overage`; the credit drawn by the video as a customer balance credit (idempotency key
 * `leoma-credit-<video>`). Rows are claimed with SKIP LOCKED; each step's success is recorded in
 * the same transaction (`meter_*_sent_at`) and a retry sends only the steps not recorded, so a later
 * step Stripe keeps refusing never resends an earlier one (after Stripe's 24-hour de-duplication
 * window a resend would bill again). If we die between a send and the commit, that step is sent
 * again with the same identifier or key, which Stripe counts once within those 24 hours.
 * `meter_sent_at` is set when every step is done. After METER_MAX_ATTEMPTS failed attempts the row
 * is given up (`meter_gave_up_at`): reconciliation names it, the stuck-rows gauge and alert show it.
 * Test-mode rows are never sent, and a row waits until its tenant has a Stripe customer. When Stripe
 * is down or hangs, a pass stops after the first round of sends that found it so: the rest of the
 * batch waits for the next pass instead of each waiting out the timeout while the claimed rows stay locked.
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

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly stripe: StripeClient,
  ) {}

  onApplicationBootstrap(): void {
    if (this.stripe.get()) this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass over at most one batch; returns the rows completed and the rows that failed (retried later, or given up). */
  async tick(): Promise<{ sent: number; failed: number }> {
    const stripe = this.stripe.get();
    if (!stripe) return { sent: 0, failed: 0 };
    const env = billingEnv.get();
    return this.db.transaction(async (tx) => {
      // A tenant's rows wait until it has a Stripe customer; only those tenants' rows are claimed.
      const accounts: { tenant_id: string; stripe_customer_id: string }[] = await tx.query(
        'SELECT tenant_id, stripe_customer_id FROM billing_accounts WHERE tenant_id = ANY($1) AND stripe_customer_id IS NOT NULL',
        [await meterDueTenants(tx)],
      );
      const customers = new Map(accounts.map((a) => [a.tenant_id, a.stripe_customer_id]));
      const rows: Due[] = (await claimMeterDue(tx, [...customers.keys()], env.METER_RELAY_BATCH)).map((r) => ({
        ...r,
        stripe_customer_id: customers.get(r.tenant_id)!,
      }));
      const surcharged = surchargedResolutions();
      const outcomes: { id: string; done: StepColumn[]; complete: boolean; attempts: number; error?: string }[] = [];
      let stripeDown = false;
      for (let i = 0; i < rows.length && !stripeDown; i += env.METER_RELAY_CONCURRENCY) {
        await Promise.all(
          rows.slice(i, i + env.METER_RELAY_CONCURRENCY).map(async (r) => {
            const done: StepColumn[] = [];
            const pending = meterStepsDue(r, surcharged).filter((c) => r[c] === null);
            try {
              for (const step of pending) {
                await this.send(stripe, r, step);
                done.push(step);
              }
              outcomes.push({ id: r.video_id, done, complete: true, attempts: r.meter_attempts + 1 });
            } catch (e) {
              if (isStripeUnreachable(e)) stripeDown = true;
              outcomes.push({ id: r.video_id, done, complete: false, attempts: r.meter_attempts + 1, error: (e as Error).message.slice(0, 500) });
            }
          }),
        );
      }
      let gaveUp = 0;
      for (const o of outcomes) {
        if (o.complete) {
          await markMeterSent(tx, o.id, o.done, o.attempts);
          continue;
        }
        const delay = Math.min(env.METER_RETRY_BASE_MS * 2 ** (o.attempts - 1), env.METER_RETRY_MAX_MS);
        const giveUp = o.attempts >= env.METER_MAX_ATTEMPTS;
        if (giveUp) gaveUp++;
        await markMeterFailed(tx, o.id, o.done, { attempts: o.attempts, error: o.error, delayMs: delay, giveUp });
      }
      const failed = outcomes.filter((o) => !o.complete);
      if (failed.length) {
        this.logger.warn(
          `meter relay: ${failed.length} of ${rows.length} rows failed, retrying with backoff${stripeDown ? ', the rest of the batch next pass' : ''}${gaveUp ? `; ${gaveUp} gave up after ${env.METER_MAX_ATTEMPTS} attempts (see reconciliation)` : ''} (first: ${failed[0]!.error})`,
        );
      }
      return { sent: outcomes.length - failed.length, failed: failed.length };
    });
  }

  private async send(stripe: Stripe, r: Due, step: StepColumn): Promise<void> {
    const env = billingEnv.get();
    const timestamp = Math.floor(new Date(r.created_at).getTime() / 1000);
    switch (step) {
      case 'meter_event_sent_at':
        await stripe.billing.meterEvents.create({
          event_name: env.STRIPE_METER_EVENT_NAME,
          identifier: r.video_id,
          timestamp,
          payload: { stripe_customer_id: r.stripe_customer_id, value: String(r.video_seconds) },
        });
        return;
      case 'meter_surcharge_sent_at':
        await stripe.billing.meterEvents.create({
          event_name: surchargeMeterEventName(env.STRIPE_METER_EVENT_NAME, r.resolution),
          identifier: `${r.video_id}_overage`,
          timestamp,
          payload: { stripe_customer_id: r.stripe_customer_id, value: String(r.overage_seconds) },
        });
        return;
      case 'meter_credit_sent_at':
        // Prepaid credit paid for part of this video: the same amount goes on the customer's
        // balance, so the invoice charges only what credits did not cover (our ledger is the source).
        await stripe.customers.createBalanceTransaction(
          r.stripe_customer_id,
          {
            amount: -r.credits_applied_minor,
            currency: r.currency.trim(),
            description: `Prepaid credit used by ${r.video_id}`,
            metadata: { video_id: r.video_id },
          },
          { idempotencyKey: `leoma-credit-${r.video_id}` },
        );
    }
  }
}
