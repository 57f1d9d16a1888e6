import { defineErrors } from '../platform/http/error-catalogue.js';

export const retentionErrors = defineErrors('retention', {
  erase_confirmation_mismatch: { status: 422, when: "`confirm` on a tenant erasure is not the tenant's id" },
});
