import type { JobsOptions } from 'bullmq';
import { billingEnv } from '../billing.env.js';

/**
 * The job that applies one stored Stripe event: its id is the event id (BullMQ dedupes a second
 * enqueue), retried with backoff while Stripe or our database is down; the sweep re-queues it
 * when the retries ran out before they came back.
 */
export function stripeEventJobOptions(eventId: string): JobsOptions {
  const env = billingEnv.get();
  return {
    jobId: eventId,
    attempts: env.STRIPE_EVENT_ATTEMPTS,
    backoff: { type: 'exponential', delay: env.STRIPE_EVENT_RETRY_MS },
    removeOnComplete: { age: 3600 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}
