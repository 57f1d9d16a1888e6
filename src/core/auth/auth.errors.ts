import { defineErrors } from '../../platform/http/error-catalogue.js';

export const authErrors = defineErrors('auth', {
  authentication_required: { status: 401, when: 'no `Authorization: Bearer <key>` and no session cookie' },
  invalid_session: { status: 401, when: 'the session cookie is unknown, revoked or signed out' },
  session_expired: { status: 401, when: 'the session was idle too long or reached its absolute lifetime; sign in again' },
  csrf_token_invalid: { status: 403, when: 'a state-changing request with a session cookie lacks the `X-CSRF-Token` header of that session' },
  session_required: { status: 403, when: 'a route about the signed-in person (sessions, sign-out) called with an API key' },
  membership_required: { status: 403, when: 'the signed-in user has no membership in a tenant to act in' },
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
