import { defineErrors } from '../platform/http/error-catalogue.js';

export const idempotencyErrors = defineErrors('idempotency', {
  idempotency_key_invalid: { status: 400, when: 'the `Idempotency-Key` header is not 1–255 printable ASCII characters' },
  idempotency_request_in_progress: { status: 409, when: 'the first request with this key is still running' },
  idempotency_key_reused: { status: 422, when: 'the key was used with another body or route' },
});
