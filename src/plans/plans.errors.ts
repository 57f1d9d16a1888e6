import { defineErrors } from '../platform/http/error-catalogue.js';

export const plansErrors = defineErrors('plans', {
  plan_not_found: { status: 422, when: 'no plan with this code' },
  plan_exists: { status: 409, when: 'a plan with this code already exists' },
  plan_retired: { status: 422, when: 'the plan is retired: it can be neither assigned nor given a new price' },
  plan_in_use: { status: 409, when: 'a plan some tenant (or contract) still uses cannot be retired; move them first' },
  plan_version_overlap: { status: 409, when: "a plan price version must start after the plan's latest version (prices are never rewritten)" },
  plan_version_in_past: { status: 422, when: 'a new plan price version cannot start in the past' },
  plan_price_invalid: {
    status: 422,
    when: 'a resolution priced below 480p (Stripe bills dearer resolutions as a surcharge over 480p, which cannot be negative)',
  },
  plan_currency_change: {
    status: 422,
    when: "a price version in another currency than the plan's current one: subscriptions at Stripe cannot change currency",
  },
});
