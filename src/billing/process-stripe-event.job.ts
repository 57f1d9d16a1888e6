import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type Stripe from 'stripe';
import { JobHandler } from '../platform/queue/job-handler.decorator.js';
import { JobName, type JobPayloads } from '../platform/queue/queue-names.js';
import { StripeEventRecord } from './stripe-event.entity.js';
import { StripeClient } from './stripe-client.js';
import { SubscriptionSync } from './subscription-sync.service.js';
import { PaymentEvents } from './payment-events.service.js';

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
  ) {}

  @JobHandler(JobName.ProcessStripeEvent)
  async run({ eventId }: JobPayloads[JobName.ProcessStripeEvent]): Promise<void> {
    const record = await this.db.getRepository(StripeEventRecord).findOneBy({ id: eventId });
    if (!record || record.processedAt) return;
    const stripe = this.stripe.get();
    if (!stripe) throw new Error('Stripe is not configured in this worker');
    try {
      await this.apply(stripe, record);
      await this.db.getRepository(StripeEventRecord).update({ id: eventId }, { processedAt: new Date(), attempts: record.attempts + 1, lastError: null });
    } catch (e) {
      await this.db.getRepository(StripeEventRecord).update({ id: eventId }, { attempts: record.attempts + 1, lastError: (e as Error).message.slice(0, 500) });
      throw e;
    }
  }

  private async apply(stripe: Stripe, event: StripeEventRecord): Promise<void> {
    const id = event.objectId;
    if (!id) return;
    switch (event.type) {
      case 'checkout.session.completed':
        return this.subscriptions.fromCheckout(stripe, id);
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
        return this.subscriptions.sync(stripe, id);
      case 'invoice.paid':
        return this.payments.invoicePaid(stripe, id);
      case 'invoice.payment_failed':
        return this.payments.invoicePaymentFailed(stripe, id);
      case 'invoice.finalized':
        return this.payments.invoiceFinalized(stripe, id);
      case 'charge.refunded':
        return this.payments.chargeRefunded(stripe, id);
      case 'charge.dispute.created':
      case 'charge.dispute.closed':
        return this.payments.dispute(stripe, id);
      default:
        this.logger.debug(`ignoring Stripe event type ${event.type}`);
    }
  }
}
