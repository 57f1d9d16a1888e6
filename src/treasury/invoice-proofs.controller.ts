import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { InvoiceBurnProofObject } from './dto/period.objects.js';
import { InvoiceProofs } from './invoice-proofs.service.js';

/** A customer's view of what its paid invoice funded: allocation, burns and the Merkle proof. Served by the treasury, under billing's path. */
@ApiTags('billing')
@ApiBearerAuth()
@KeyModes('live')
@Controller('v1/billing/invoices')
export class InvoiceProofsController {
  constructor(private readonly proofs: InvoiceProofs) {}

  @Get(':id/burn-proof')
  @Scopes('billing:read')
  @ProblemCodes('invoice_not_found')
  @ApiOperation({
    summary: "A paid invoice's buy-and-burn: its allocation, the burns it funded and the Merkle proof against the on-chain memo",
    operationId: 'getInvoiceBurnProof',
    description:
      "For each allocation of the invoice (the payment, and any refund): amount, currency and burn policy version; the burns it funded (block-index, its share of their TAO and alpha); and, once its month is closed, the inclusion proof of its leaf in the month's Merkle tree and the burn whose on-chain memo carries the root. Check it on /burns, or from the chain alone with examples/verify-burn-proof.mjs. Another tenant's invoice is `invoice_not_found`.",
  })
  @ApiOkResponse({ type: InvoiceBurnProofObject })
  get(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<InvoiceBurnProofObject> {
    return this.proofs.forInvoice(who.tenantId, id);
  }
}
