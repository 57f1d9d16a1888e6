import { defineErrors } from '../platform/http/error-catalogue.js';

export const keysErrors = defineErrors('keys', {
  api_key_expired: { status: 401, when: 'the key is past its `expires_at`' },
  tenant_suspended: { status: 403, when: 'the account is suspended' },
  exceeds_calling_key: { status: 403, when: 'a key tried to create or roll a key with a later expiry or higher caps than its own' },
  api_key_revoked: { status: 409, when: 'rolling a key that is revoked' },
});
