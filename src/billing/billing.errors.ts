import { defineErrors } from '../platform/http/error-catalogue.js';

export const billingErrors = defineErrors('billing', {
  billing_not_configured: { status: 503, when: 'Stripe is not configured on this deployment (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET)' },
  plan_not_for_sale: { status: 422, when: 'the plan has no Stripe prices yet (`leoma billing sync-catalog`)' },
  plan_not_self_serve: { status: 422, when: 'checkout for a plan customers cannot buy themselves (enterprise: the account team sells it)' },
  billing_mode_invoice: { status: 409, when: 'self-serve checkout for a tenant billed by invoice' },
  billing_mode_self_serve: { status: 409, when: 'an invoice subscription for a self-serve tenant (they use checkout)' },
  subscription_exists: { status: 409, when: 'checkout while a subscription is live (change it in the portal)' },
  stripe_unavailable: { status: 502, when: 'Stripe could not be reached, failed (5xx) or refused our key; nothing was changed, retry (`Retry-After`)' },
  stripe_timeout: {
    status: 504,
    when: 'Stripe did not answer in time (a customer request: `STRIPE_REQUEST_TIMEOUT_MS` for all its Stripe calls); nothing was changed on our side, retry (`Retry-After`)',
  },
  stripe_signature_invalid: { status: 400, when: 'a Stripe webhook whose Stripe-Signature does not verify for the raw body' },
});
