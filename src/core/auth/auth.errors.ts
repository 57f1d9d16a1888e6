import { defineErrors } from '../../platform/http/error-catalogue.js';

export const authErrors = defineErrors('auth', {
  authentication_required: { status: 401, when: 'no `Authorization: Bearer <key>`' },
  invalid_api_key: { status: 401, when: 'the key is malformed, unknown or revoked' },
  too_many_failed_authentications: { status: 429, when: 'this client address sent too many bad keys in the last minute (`Retry-After`)' },
  insufficient_scope: { status: 403, when: 'the key lacks a scope the route needs (or you try to grant one it lacks)' },
  livemode_required: {
    status: 403,
    when: 'a test key called a live-only route (billing, moderation events, the audit log) or tried to create, roll or revoke a live key',
  },
  insufficient_role: { status: 403, when: "the operator's role may not do this" },
  operator_key_required: { status: 403, when: 'an admin route called with a tenant key' },
  tenant_key_required: { status: 403, when: 'a tenant route called with an operator key' },
});
