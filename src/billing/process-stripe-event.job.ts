import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type Stripe from 'stripe';
import { JobHandler } from '../platform/queue/job-handler.decorator.js';
import { JobName, type JobPayloads } from '../platform/queue/queue-names.js';
import { CommitmentTrueUp } from './commitment-true-up.service.js';
import { StripeEventRecord, type StripeEventOutcome } from './stripe/stripe-event.entity.js';
import { UnmatchedStripeObject } from './stripe/unmatched-stripe-object.js';
import { StripeClient } from './stripe/stripe-client.js';
import { stripeSdk } from './stripe/stripe-sdk.js';
import { SubscriptionSync } from './subscriptions/subscription-sync.service.js';
import { PaymentEvents } from './subscriptions/payment-events.service.js';

/**
 * Applies one stored Stripe event. Every handler re-fetches the object from Stripe and converges
 * on its current state, so redelivered or out-of-order events leave the same result as one in order.
 */
@Injectable()
export class ProcessStripeEventJob {
  private readonly logger = new Logger(ProcessStripeEventJob.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly stripe: StripeClient,
    private readonly subscriptions: SubscriptionSync,
    private readonly payments: PaymentEvents,
    private readonly trueUp: CommitmentTrueUp,
  ) {}

  @JobHandler(JobName.ProcessStripeEvent)
  async run({ eventId }: JobPayloads[JobName.ProcessStripeEvent]): Promise<void> {
    const record = await this.db.getRepository(StripeEventRecord).findOneBy({ id: eventId });
    if (!record || record.processedAt) return;
    const stripe = this.stripe.get();
    if (!stripe) throw new Error('Stripe is not configured in this worker');
    const done = (outcome: StripeEventOutcome, reason: string | null) =>
      this.db
        .getRepository(StripeEventRecord)
        .update({ id: eventId }, { processedAt: new Date(), attempts: record.attempts + 1, lastError: null, outcome, outcomeReason: reason });
    try {
      const ignored = await this.apply(stripe, record);
      await done(ignored ? 'ignored' : 'applied', ignored ?? null);
    } catch (e) {
      // Stripe refusing the re-read (404, invalid request) answers the same every time: retrying cannot help.
      const unmatched =
        e instanceof UnmatchedStripeObject
          ? e.message
          : e instanceof stripeSdk().errors.StripeInvalidRequestError
            ? `Stripe refused a call for ${record.objectId} (${e.statusCode ?? 400}): ${e.message}`
            : null;
      if (unmatched) {
        this.logger.warn(`Stripe event ${eventId} (${record.type}) is unmatched: ${unmatched}`);
        await done('unmatched', unmatched.slice(0, 500));
        return;
      }
      await this.db.getRepository(StripeEventRecord).update({ id: eventId }, { attempts: record.attempts + 1, lastError: (e as Error).message.slice(0, 500) });
      throw e;
    }
  }

  /** Converges on the object's current state; returns why when the event is not ours to act on. */
  private async apply(stripe: Stripe, event: StripeEventRecord): Promise<string | void> {
    const id = event.objectId;
    if (!id) return 'the event names no object';
    switch (event.type) {
      case 'checkout.session.completed':
      // A delayed payment method (bank debit) decided: the session, re-read, says paid or not.
      case 'checkout.session.async_payment_succeeded':
      case 'checkout.session.async_payment_failed':
        return this.subscriptions.fromCheckout(stripe, id);
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
        return this.subscriptions.sync(stripe, id);
      case 'invoice.paid':
        return this.payments.invoicePaid(stripe, id);
      case 'invoice.payment_failed':
        return this.payments.invoicePaymentFailed(stripe, id);
      case 'invoice.created':
        return this.trueUp.invoiceCreated(stripe, id);
      case 'invoice.finalized':
        return this.payments.invoiceFinalized(stripe, id);
      case 'charge.refunded':
        return this.payments.chargeRefunded(stripe, id);
      case 'charge.dispute.created':
      case 'charge.dispute.closed':
        return this.payments.dispute(stripe, id);
      default:
        return `event type ${event.type} is not handled`;
    }
  }
}
