/** Webhooks: endpoints, signed deliveries with retries, the outbox relay, and `/v1/events`. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './webhook-url.js';
export * from './webhooks.env.js';
export { purgeDeliveredEvents, purgeWebhookDeliveries } from './webhook-purge.js';
export { signatureHeader } from './signature.js';
export { retryDelayMs } from './backoff.js';
