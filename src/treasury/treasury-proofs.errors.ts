import { defineErrors } from '../platform/http/error-catalogue.js';

/** Policies, period close and invoice proofs (issue 30, items 4–6). */
export const treasuryProofErrors = defineErrors('treasury', {
  policy_backdated: { status: 422, when: 'a burn policy whose effective_from is in the past: allocations already made keep the version they used' },
  period_closed: { status: 409, when: 'a change (funding, allocation, burn, policy) dated in a month finance has closed' },
  period_not_ended: { status: 409, when: 'closing a month that has not ended yet (UTC)' },
  period_already_closed: { status: 409, when: 'closing a month that is already closed' },
  period_out_of_order: { status: 409, when: 'closing a month other than the one after the last closed month' },
  period_has_unresolved_burns: { status: 409, when: 'closing a month while a burn dated in it is planned or may still land on chain; wait until it settles' },
  period_not_found: { status: 404, when: 'the statement of a month that is not closed' },
  invoice_not_found: { status: 404, when: 'no invoice of the calling tenant with this id has a treasury allocation (not paid yet, or not yours)' },
});
