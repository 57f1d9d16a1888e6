/** What other modules may use of idempotency/ (dependency-cruiser refuses deeper imports). */
export { IDEMPOTENCY_WINDOW_MS } from './idempotency.service.js';
export { forgetTenantResponses, redactStoredResponses, tenantKeyOwner } from './stored-responses.js';
export { purgeIdempotencyKeys } from './idempotency-purge.js';
