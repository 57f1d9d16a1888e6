/** `Idempotency-Key`: a retried request gets the first answer, a different body with the same key a 409. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export { IDEMPOTENCY_WINDOW_MS } from './idempotency.service.js';
export { forgetTenantResponses, redactStoredResponses, tenantKeyOwner } from './stored-responses.js';
export { purgeIdempotencyKeys } from './idempotency-purge.js';
export { pendingCompletion, type PendingCompletion } from './pending-completion.js';
