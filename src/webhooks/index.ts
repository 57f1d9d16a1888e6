/** What other modules may use of webhooks/ (dependency-cruiser refuses deeper imports). */
export * from './webhook-url.js';
export * from './webhooks.env.js';
export { signatureHeader } from './signature.js';
