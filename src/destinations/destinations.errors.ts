import { defineErrors } from '../platform/http/error-catalogue.js';

export const destinationsErrors = defineErrors('destinations', {
  destination_endpoint_invalid: { status: 422, when: 'the endpoint is not an https URL (http only for allowlisted hosts), has credentials, a path or query' },
  destination_endpoint_forbidden: { status: 422, when: 'the endpoint resolves to a non-public address and its host is not on DESTINATION_ENDPOINT_ALLOWLIST' },
  destination_unreachable: {
    status: 422,
    when: "the test write could not reach the store (connection refused, timeout, DNS, the store's 5xx, no such bucket)",
  },
  destination_denied: {
    status: 422,
    when: 'the store refused the test write or its delete (wrong access key or secret, no permission on the bucket or prefix)',
  },
  destination_limit_reached: { status: 409, when: 'the tenant already has DESTINATION_MAX_PER_TENANT destinations (delete one first)' },
  destination_key_invalid: {
    status: 422,
    when: 'the object key template has an unknown placeholder, `..`, an absolute path, characters outside [A-Za-z0-9._-/{}], or names {custom_id} where there is none',
  },
  delivery_not_found: { status: 404, when: 'redelivering a video that named no destination' },
  delivery_in_progress: { status: 409, when: 'redelivering a video whose delivery is still pending' },
});
