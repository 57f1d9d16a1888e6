import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of admin-contracts.controller.ts, kept here so the controller reads as a list of routes. */
export const adminContractsDocs = {
  adminGetContract: {
    summary: "A tenant's contract versions and the one in force",
    operationId: 'adminGetContract',
    description: 'Every version of the rate card and terms, oldest first, and `current`: the one in force now (null before the first takes effect).',
  },
  adminCreateContractVersion: {
    summary: "Write the next version of a tenant's contract",
    operationId: 'adminCreateContractVersion',
    description:
      "Rate card (base fee, included seconds, overage per resolution), minimum commitment, discount, term, PO number, tax ids, billing email and limits. Fields left out carry over from the current version (the first version takes the plan's price). It starts at the next period boundary unless `effective_from` says otherwise; when it starts, its limits and plan become the tenant's. Refused whole (nothing written) when it would price below zero, overlap a version, start in the past or change the billing currency.",
  },
  adminRenewContract: {
    summary: 'Renew: the next term as a new version',
    operationId: 'adminRenewContract',
    description:
      "A version starting where the current term ends (now if it has), as long again unless `term_end` says. `reprice: true` puts it on the plan's current price (a grandfathered contract renews onto the new price).",
  },
} satisfies Record<string, ApiOperationOptions>;
