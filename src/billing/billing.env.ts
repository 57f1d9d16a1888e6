import { z } from 'zod';
import { defineEnv, int } from '../platform/config/define-env.js';

const DAY = 86_400_000;

export const billingEnv = defineEnv(
  'billing',
  {
    /** Unset (the dev default): plans, quotas and usage work; billing endpoints answer 503 billing_not_configured. */
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_/, 'must be a Stripe secret or restricted key')
      .optional(),
    /** The whsec_ secret of our endpoint in Stripe; incoming events are verified with it. */
    STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_').optional(),
    /** Only for a local stand-in (tests, `npm run dev` with STRIPE_STUB=1): where the SDK sends requests. */
    STRIPE_API_HOST: z.string().optional(),
    STRIPE_API_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
    STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
    /**
     * Background Stripe calls (meter relay, event processing, plan sync, operator routes): how long one
     * attempt may wait for Stripe's answer, and how often the SDK retries a connection error, 409 or 5xx
     * (with the same idempotency key). The SDK's own defaults are 80 s and 2.
     */
    STRIPE_TIMEOUT_MS: int(10_000, 100, 120_000),
    STRIPE_MAX_NETWORK_RETRIES: int(2, 0, 5),
    /** All the Stripe calls of one customer request together (checkout, portal, invoices): past it, 504 stripe_timeout. */
    STRIPE_REQUEST_TIMEOUT_MS: int(10_000, 100, 60_000),
    /** The Billing Meter's event name for delivered video-seconds. */
    STRIPE_METER_EVENT_NAME: z
      .string()
      .regex(/^[a-z0-9_.-]{1,100}$/)
      .default('leoma_video_seconds'),
    // The prices themselves (BILLING_PLAN_PRICES, BILLING_CURRENCY) are pricing's: one list for the API and Stripe.
    /** Where Checkout and the portal send the customer back. */
    BILLING_RETURN_URL: z.string().url().default('http://127.0.0.1:3000/'),
    /**
     * The plan a tenant is moved to when its subscription ends (canceled, incomplete_expired) or
     * Stripe stops collecting it (unpaid): the unsold plan everyone starts on, with no overage.
     */
    BILLING_LAPSED_PLAN: z
      .string()
      .regex(/^[a-z0-9_-]{1,40}$/)
      .default('free'),
    /** How long a tenant stays past_due (still served) before it is suspended. */
    BILLING_GRACE_MS: int(7 * DAY, 0, 60 * DAY),
    /** The meter-event relay: how often it looks for unsent usage, how many rows a pass sends, how many at once. */
    METER_RELAY_INTERVAL_MS: int(2_000, 10, 600_000),
    METER_RELAY_BATCH: int(100, 1, 1_000),
    METER_RELAY_CONCURRENCY: int(8, 1, 64),
    /** First retry delay after a failed send; doubles per attempt up to the cap. */
    METER_RETRY_BASE_MS: int(5_000, 1, DAY),
    METER_RETRY_MAX_MS: int(3_600_000, 1, DAY),
    /**
     * Failed attempts after which a usage row is given up: no more sends, reconciliation names it
     * (meter_event_stuck), leoma_stripe_meter_relay_stuck_rows counts it. With the default backoff,
     * 20 attempts end about 10 hours after the first: every resend of a step whose answer was lost
     * stays inside Stripe's 24-hour de-duplication window, so it cannot bill twice.
     */
    METER_MAX_ATTEMPTS: int(20, 1, 1_000),
    /** Applying a Stripe event: attempts of its job and the first backoff (doubling); after that the sweep queues it again. */
    STRIPE_EVENT_ATTEMPTS: int(8, 1, 50),
    STRIPE_EVENT_RETRY_MS: int(2_000, 1, 3_600_000),
    /** How often the worker looks for stored Stripe events whose job gave up or was lost. */
    STRIPE_EVENT_SWEEP_MS: int(60_000, 10, DAY),
    /** How often the dunning sweep looks for past_due tenants whose grace is over. */
    DUNNING_SWEEP_MS: int(60_000, 10, DAY),
    /** How often an operator's plan change (admin API, CLI) is carried to the tenant's Stripe subscription. */
    PLAN_CHANGE_SYNC_MS: int(2_000, 10, DAY),
  },
  { secrets: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] },
);

export type BillingEnv = ReturnType<typeof billingEnv.get>;

export const billingConfigured = (env: BillingEnv = billingEnv.get()) => Boolean(env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET);
