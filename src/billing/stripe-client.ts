import Stripe from 'stripe';
import { ProblemException } from '../platform/http/problem.js';
import { billingConfigured, billingEnv } from './billing.env.js';

/**
 * The one Stripe client of a process, or null when Stripe is not configured. host/port/protocol
 * are only set to point the SDK at the local stand-in.
 */
export class StripeClient {
  private client: Stripe | null | undefined;

  get(): Stripe | null {
    if (this.client !== undefined) return this.client;
    const env = billingEnv.get();
    if (!billingConfigured(env)) return (this.client = null);
    return (this.client = new Stripe(env.STRIPE_SECRET_KEY!, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      appInfo: { name: 'leoma-api' },
      ...(env.STRIPE_API_HOST ? { host: env.STRIPE_API_HOST } : {}),
      ...(env.STRIPE_API_PORT ? { port: env.STRIPE_API_PORT } : {}),
      ...(env.STRIPE_API_PROTOCOL ? { protocol: env.STRIPE_API_PROTOCOL } : {}),
    }));
  }

  /** For request handlers: the client, or 503 billing_not_configured. */
  require(): Stripe {
    const c = this.get();
    if (!c) throw notConfigured();
    return c;
  }
}

export const notConfigured = () =>
  new ProblemException(503, 'billing_not_configured', 'Billing is not configured on this deployment: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (see the README, "Billing with Stripe").');
