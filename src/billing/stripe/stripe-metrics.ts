import type Stripe from 'stripe';
import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from '../../platform/metrics/registry.js';

/** Requests the SDK sent: with the answers below, the ones that got none (timeouts, dropped connections) are the difference. */
export const stripeRequests = new Counter({
  name: 'leoma_stripe_requests_total',
  help: 'Requests sent to the Stripe API, by method and route (ids replaced by {id}).',
  labelNames: ['method', 'route'] as const,
  registers: [metricsRegistry],
});

/** Stripe's answers and how long they took, by outcome: ok, client_error, rate_limited, server_error. */
export const stripeResponses = new Histogram({
  name: 'leoma_stripe_request_duration_seconds',
  help: 'Seconds the Stripe API took to answer, by method, route (ids replaced by {id}), HTTP status and outcome (ok, client_error, rate_limited, server_error).',
  labelNames: ['method', 'route', 'status', 'outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  registers: [metricsRegistry],
});

/** A Stripe object id in a path segment: a lowercase prefix, `_`, then random base62 (never a word like `meter_events`). */
const STRIPE_ID = /^[a-z]+(?:_[a-z]+)*_(?=[A-Za-z0-9]*[0-9A-Z])[A-Za-z0-9]{8,}$/;

/** The path as a bounded label: ids become {id}, the query string goes. */
export const stripeRoute = (path: string): string =>
  path
    .split('?')[0]!
    .split('/')
    .map((s) => (STRIPE_ID.test(s) ? '{id}' : s))
    .join('/');

const outcomeOf = (status: number): string => (status < 400 ? 'ok' : status === 429 ? 'rate_limited' : status < 500 ? 'client_error' : 'server_error');

/** Counts and times every request a client makes, from the SDK's own request and response events. */
export function measureStripe(client: Stripe): Stripe {
  client.on('request', (e: Stripe.RequestEvent) => stripeRequests.inc({ method: e.method, route: stripeRoute(e.path) }));
  client.on('response', (e: Stripe.ResponseEvent) =>
    stripeResponses.observe({ method: e.method, route: stripeRoute(e.path), status: String(e.status), outcome: outcomeOf(e.status) }, e.elapsed / 1000),
  );
  return client;
}
