import { defineErrors } from '../platform/http/error-catalogue.js';

export const webhooksErrors = defineErrors('webhooks', {
  webhook_url_invalid: { status: 422, when: 'not https, has credentials, or too long' },
  webhook_url_forbidden: { status: 422, when: 'resolves to a non-public address' },
  webhook_url_unresolvable: { status: 422, when: 'the host does not resolve (deliveries only; registration accepts it)' },
  no_webhook_targets: { status: 409, when: 'redelivery with no endpoint subscribed and no per-request URL' },
  webhook_endpoint_disabled: { status: 409, when: 'recovering deliveries of a disabled endpoint' },
});
