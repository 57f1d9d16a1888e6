import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of treasury-close.controller.ts, kept here so the controller reads as a list of routes. */
export const treasuryCloseDocs = {
  treasuryListPolicies: {
    summary: 'Burn policy versions, newest first, and the one in effect',
    operationId: 'treasuryListPolicies',
    description:
      'Every version of the buy-and-burn policy (share, schedule, slippage cap, minimum burn) with when it took effect, who set it and why; version 1 comes from the TREASURY_* settings. Each allocation names the version it used.',
  },
  treasuryCreatePolicy: {
    summary: 'Add a burn policy version, effective now or at a later time (audited)',
    operationId: 'treasuryCreatePolicy',
    description:
      'Adds the next version of the buy-and-burn policy. It takes effect at effective_from (now by default, never in the past); allocations made from then on name it. The change is in the audit log with the version it replaces.',
  },
  treasuryListPeriods: {
    summary: 'Closed months, newest first, with statement hash, Merkle root and the burn carrying them on chain',
    operationId: 'treasuryListPeriods',
    description:
      'Closed months (UTC), newest first: the SHA-256 of each frozen statement, the Merkle root of its allocations, and the burn whose on-chain memo carries both.',
  },
  treasuryClosePeriod: {
    summary: 'Close a month: freeze it and its statement (audited)',
    operationId: 'treasuryClosePeriod',
    description:
      'Closes an ended month, the one after the last closed: from then on nothing dated up to its end changes (allocations, fundings, burns: `period_closed`). Its statement (per currency revenue, allocations, fundings, burns and carried-over balances; the TAO side; the Merkle root of its allocations) is frozen, and the next live burn carries its SHA-256 and the root in its on-chain memo.',
  },
  treasuryGetStatement: {
    summary: "A closed month's frozen statement, as JSON (the bytes hashed on chain) or CSV",
    operationId: 'treasuryGetStatement',
    description:
      "The statement as frozen when the month was closed. The JSON is served byte for byte as hashed: its SHA-256 is the period's statement_sha256 and is in the memo of the burn that carries the period. The CSV has the same figures as rows.",
  },
} satisfies Record<string, ApiOperationOptions>;
