import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of treasury.controller.ts, kept here so the controller reads as a list of routes. */
export const treasuryDocs = {
  treasurySummary: {
    summary: 'Revenue, allocated, funded, burned TAO and alpha, in flight and pending',
    operationId: 'treasurySummary',
    description:
      'Totals for finance: revenue, the share allocated to the treasury, TAO funded, TAO spent and alpha burned, what is in flight and what is pending.',
  },
  treasuryReconciliation: {
    summary: 'Reconciliation: revenue × share = allocations = funded + unfunded; funded = burned + pending',
    operationId: 'treasuryReconciliation',
    description: 'Checks the treasury identities (revenue × share = allocations = funded + unfunded; funded = burned + pending) and names every difference.',
  },
  treasuryListAllocations: {
    summary: 'Allocations, newest first: one per revenue entry',
    operationId: 'treasuryListAllocations',
    description: 'Allocations, newest first: the treasury share of each revenue entry, and whether it is funded yet.',
  },
  treasuryCreateFunding: {
    summary: 'Record TAO that reached the treasury coldkey against allocations',
    operationId: 'treasuryCreateFunding',
    description:
      'Records TAO that arrived at the treasury coldkey: names the transfer (block number + extrinsic index), whose amount is read from the chain (Balances.Transfer to TREASURY_COLDKEY in a finalized block), with the fiat paid for it in its currency, the rate and where the rate came from. It pays for unfunded allocations in that currency only.',
  },
  treasuryListFundings: {
    summary: 'Fundings, newest first',
    operationId: 'treasuryListFundings',
    description: 'Recorded fundings, newest first, with the allocations each covers.',
  },
  treasuryRunBurn: {
    summary: 'Ask a worker to run the burn job now: reconcile, plan and (when live) sign and submit; follow the burn with GET',
    operationId: 'treasuryRunBurn',
    description:
      'Queues a run of the burn job for a worker instead of waiting for its schedule (only workers hold the signing key): it reconciles, plans a burn of funded TAO and, when live, signs and submits it. The API waits up to TREASURY_RUN_WAIT_MS for the worker to plan: `result` is then `planned` with the burn (follow it with GET), `nothing_to_burn` or `waiting_for_unresolved`; if no worker took the run in time it is `queued` with no burn yet (it runs when a worker is free; list the burns to see it).',
  },
  treasuryListBurns: {
    summary: 'Burns, newest first',
    operationId: 'treasuryListBurns',
    description: 'Burns, newest first, with status (planned, submitted, finalized, failed) and on-chain record.',
  },
  treasuryExportBurns: {
    summary: 'Every burn as CSV, oldest first, with the invoices it covers',
    operationId: 'treasuryExportBurns',
    description: 'Every burn as CSV, oldest first, one row per burn with the invoices it covers: for accounting.',
  },
  treasuryGetBurn: {
    summary: 'One burn with its on-chain record and the allocations and invoices it covers',
    operationId: 'treasuryGetBurn',
    description: 'One burn with its block, extrinsic, amounts, and the allocations and invoices it covers.',
  },
  treasuryVerifyBurn: {
    summary: 'Re-read the block, decode the extrinsic and its events, compare with the record and store the result',
    operationId: 'treasuryVerifyBurn',
    description: 'Re-reads the block from the chain, decodes the extrinsic and its events, compares them with the stored record and stores the result.',
  },
} satisfies Record<string, ApiOperationOptions>;
