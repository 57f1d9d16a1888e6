import { defineErrors } from '../platform/http/error-catalogue.js';

export const contractsErrors = defineErrors('contracts', {
  contract_not_found: { status: 404, when: 'the tenant has no contract' },
  contract_price_negative: {
    status: 422,
    when: 'a contract that would price below zero: a negative base, overage or commitment, a resolution cheaper than 480p (its Stripe surcharge would be negative), or a discount outside 0–10000 basis points',
  },
  contract_version_overlap: {
    status: 409,
    when: "a contract version must start after the tenant's latest version (versions never overlap or rewrite history)",
  },
  contract_effective_in_past: { status: 422, when: 'a contract version cannot start in the past (costs already charged are never rewritten)' },
  contract_currency_change: {
    status: 422,
    when: 'a contract in another currency than the tenant is billed in: its Stripe subscription cannot change currency',
  },
  contract_term_invalid: { status: 422, when: 'term_end is not after term_start' },
});
