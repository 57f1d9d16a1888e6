import { defineErrors } from '../platform/http/error-catalogue.js';

export const treasuryErrors = defineErrors('treasury', {
  burn_not_found: { status: 404, when: 'no burn with this id' },
  burn_not_on_chain: { status: 409, when: 'verify of a burn that never reached a block (planned, dry-run, failed before inclusion)' },
  chain_unavailable: { status: 503, when: 'a burn run or a verify while the subtensor node cannot be reached; try again later (Retry-After)' },
  chain_not_configured: { status: 409, when: 'a verify while no chain endpoint is configured (the treasury is in dry-run mode)' },
  funding_duplicate_reference: { status: 409, when: 'a funding whose external_reference is already recorded' },
  funding_exceeds_allocations: { status: 422, when: 'usd_cents above what is allocated and not yet funded' },
  funding_rate_mismatch: { status: 422, when: 'usd_cents differs from amount_rao × rate by more than 1 %' },
  burn_run_in_progress: { status: 409, when: 'another burn run holds the treasury lock' },
});
