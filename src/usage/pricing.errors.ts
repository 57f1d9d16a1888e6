import { defineErrors } from '../platform/http/error-catalogue.js';

export const pricingErrors = defineErrors('pricing', {
  alert_limit_reached: { status: 409, when: 'a tenant already has the most spend alerts allowed (20); delete one first' },
  invalid_range: { status: 400, when: 'a usage export whose `from` is not before `to`, or that spans more than 366 days' },
});
