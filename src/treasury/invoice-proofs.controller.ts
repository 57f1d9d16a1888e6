import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { InvoiceBurnProofObject } from './dto/period.objects.js';
import { InvoiceProofs } from './invoice-proofs.service.js';
import { invoiceProofsDocs } from './invoice-proofs.docs.js';

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
  @ApiOperation(invoiceProofsDocs.getInvoiceBurnProof)
  @ApiOkResponse({ type: InvoiceBurnProofObject })
  get(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<InvoiceBurnProofObject> {
    return this.proofs.forInvoice(who.tenantId, id);
  }
}
