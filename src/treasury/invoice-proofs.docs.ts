import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of invoice-proofs.controller.ts, kept here so the controller reads as a list of routes. */
export const invoiceProofsDocs = {
  getInvoiceBurnProof: {
    summary: "A paid invoice's buy-and-burn: its allocation, the burns it funded and the Merkle proof against the on-chain memo",
    operationId: 'getInvoiceBurnProof',
    description:
      "For each allocation of the invoice (the payment, and any refund): amount, currency and burn policy version; the burns it funded (block-index, its share of their TAO and alpha); and, once its month is closed, the inclusion proof of its leaf in the month's Merkle tree and the burn whose on-chain memo carries the root. Check it on /burns, or from the chain alone with examples/verify-burn-proof.mjs. Another tenant's invoice is `invoice_not_found`.",
  },
} satisfies Record<string, ApiOperationOptions>;
