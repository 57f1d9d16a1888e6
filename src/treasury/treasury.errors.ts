import { defineErrors } from '../platform/http/error-catalogue.js';

export const treasuryErrors = defineErrors('treasury', {
  burn_not_found: { status: 404, when: 'no burn with this id' },
  burn_not_on_chain: { status: 409, when: 'verify of a burn that never reached a block (planned, dry-run, failed before inclusion)' },
  chain_unavailable: { status: 503, when: 'a burn run, a verify or a funding while the subtensor node cannot be reached; try again later (Retry-After)' },
  chain_not_configured: { status: 409, when: 'a verify or a funding while no chain endpoint is configured (the treasury is in dry-run mode)' },
  treasury_coldkey_not_configured: { status: 409, when: 'a funding while TREASURY_COLDKEY is not set: there is no coldkey to check the transfer against' },
  funding_duplicate_reference: { status: 409, when: 'a funding whose external_reference is already recorded' },
  funding_exceeds_allocations: { status: 422, when: 'fiat_minor above what is allocated in that currency and not yet funded' },
  funding_rate_mismatch: { status: 422, when: 'fiat_minor differs from the transferred TAO × rate by more than 1 %' },
  funding_transfer_not_found: { status: 422, when: 'no extrinsic at that block number and index, or it moved no TAO (no Balances.Transfer, or it failed)' },
  funding_transfer_hash_mismatch: { status: 422, when: 'the extrinsic at that block number and index has another hash than transfer_extrinsic_hash' },
  funding_transfer_not_to_treasury: { status: 422, when: 'the extrinsic transferred TAO, but none of it to the treasury coldkey' },
  funding_transfer_not_finalized: { status: 409, when: "the transfer's block is not finalized yet; try again once it is" },
  funding_transfer_already_used: { status: 409, when: 'another funding already names this transfer' },
  burn_run_in_progress: { status: 409, when: 'another burn run holds the treasury lock' },
});
