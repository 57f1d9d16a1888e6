import type Stripe from 'stripe';
import { DomainError } from '../../platform/http/domain-error.js';
import { billingConfigured, billingEnv } from '../billing.env.js';
import { stripeTimeout } from './stripe-failures.js';
import { measureStripe } from './stripe-metrics.js';
import { tracedStripeHttpClient } from './stripe-spans.js';
import { tracingOn } from '../../platform/tracing/tracing.js';
import { stripeSdk } from './stripe-sdk.js';

/**
 * The one Stripe client of a process, or null when Stripe is not configured. Its timeout and
 * retries are set here from billing env, not left to the SDK's defaults (80 s per attempt).
 * host/port/protocol are only set to point the SDK at the local stand-in.
 */
export class StripeClient {
  private client: Stripe | null | undefined;

  get(): Stripe | null {
    if (this.client !== undefined) return this.client;
    const env = billingEnv.get();
    if (!billingConfigured(env)) return (this.client = null);
    return (this.client = measureStripe(
      new (stripeSdk())(env.STRIPE_SECRET_KEY!, {
        maxNetworkRetries: env.STRIPE_MAX_NETWORK_RETRIES,
        timeout: env.STRIPE_TIMEOUT_MS,
        appInfo: { name: 'leoma-api' },
        ...(env.STRIPE_API_HOST ? { host: env.STRIPE_API_HOST } : {}),
        ...(env.STRIPE_API_PORT ? { port: env.STRIPE_API_PORT } : {}),
        ...(env.STRIPE_API_PROTOCOL ? { protocol: env.STRIPE_API_PROTOCOL } : {}),
        ...(tracingOn() ? { httpClient: tracedStripeHttpClient() } : {}),
      }),
    ));
  }

  /** For request handlers: the client, or 503 billing_not_configured. */
  require(): Stripe {
    const c = this.get();
    if (!c) throw notConfigured();
    return c;
  }

  /** For request handlers: the time a customer request may spend on Stripe, starting now. */
  deadline(): StripeDeadline {
    return new StripeDeadline(billingEnv.get().STRIPE_REQUEST_TIMEOUT_MS);
  }
}

/**
 * The Stripe calls made while a customer waits share one deadline (STRIPE_REQUEST_TIMEOUT_MS), so
 * however many a route makes, the customer gets an answer in bounded time: each call gets the
 * time left as its timeout and no SDK retries (the customer retries; every such call is keyed
 * or harmless to repeat). The race covers the one retry the SDK makes of a dropped connection
 * whatever its settings.
 */
export class StripeDeadline {
  private readonly until: number;

  constructor(ms: number) {
    this.until = Date.now() + ms;
  }

  async call<T>(fn: (options: Stripe.RequestOptions) => Promise<T>): Promise<T> {
    const left = this.until - Date.now();
    if (left <= 0) throw stripeTimeout();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(stripeTimeout()), left + 250);
      timer.unref();
    });
    try {
      return await Promise.race([fn({ timeout: left, maxNetworkRetries: 0 }), expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export const notConfigured = () =>
  new DomainError(
    'billing_not_configured',
    'Billing is not configured on this deployment: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (see the README, "Billing with Stripe").',
  );
