import { defineErrors } from '../platform/http/error-catalogue.js';

export const operatorsErrors = defineErrors('operators', {
  operator_exists: { status: 409, when: 'an operator with this email exists' },
});
