import { Counter } from 'prom-client';
import { metricsRegistry } from '../platform/metrics/registry.js';

/** Each delivery attempt by what came of it: succeeded, retrying (will be tried again), failed (given up), abandoned (endpoint gone). */
export const webhookDeliveries = new Counter({
  name: 'leoma_webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome: succeeded, retrying, failed, abandoned.',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});
