import { defineErrors } from '../platform/http/error-catalogue.js';

export const rolloutErrors = defineErrors('rollout', {
  rollout_not_found: { status: 404, when: 'no rollout for that digest (the digest was never king)' },
  rollout_not_ready: { status: 409, when: 'force or roll back to a digest with no backend READY and reporting it: that would leave no model serving' },
  rollout_not_retained: { status: 409, when: 'roll back to a digest that is neither serving nor one of the last ROLLOUT_RETAIN_KINGS kings' },
});
