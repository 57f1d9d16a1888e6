import { defineErrors } from '../platform/http/error-catalogue.js';

export const plansErrors = defineErrors('plans', {
  plan_not_found: { status: 422, when: 'no plan with this code' },
});
