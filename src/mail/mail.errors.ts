import { defineErrors } from '../platform/http/error-catalogue.js';

export const mailErrors = defineErrors('mail', {
  email_invalid: { status: 400, when: 'an email address or subject holds control characters (header injection)' },
});
