import { defineErrors } from '../platform/http/error-catalogue.js';

export const keysErrors = defineErrors('keys', {
  api_key_expired: { status: 401, when: 'the key is past its `expires_at`' },
  tenant_suspended: { status: 403, when: 'the account is suspended' },
  livemode_required: { status: 403, when: 'a test key tried to manage live keys' },
  api_key_revoked: { status: 409, when: 'rolling a key that is revoked' },
});
