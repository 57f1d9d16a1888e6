import { Body, Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentTenant, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { actorOf } from '../audit/index.js';
import { QuotaService, currentPeriod } from '../limits/index.js';
import { BillingService } from './billing.service.js';
import { CheckoutDto, InvoiceListQuery } from './dto/billing-inputs.dto.js';

/** Self-serve billing. Every route answers 503 billing_not_configured when Stripe is not set up. */
@ApiTags('billing')
@ApiBearerAuth()
@Controller('v1/billing')
export class BillingController {
  constructor(private readonly billing: BillingService, private readonly quota: QuotaService) {}

  @Get()
  @Scopes('billing:read')
  @ApiOperation({ summary: 'Plan, subscription, current period, usage and the amount due so far (minor units)', operationId: 'getBilling' })
  async get(@CurrentTenant() who: TenantPrincipal) {
    const period = currentPeriod();
    return this.billing.overview(who.tenantId, period, await this.quota.settledSeconds(who.tenantId, period));
  }

  @Get('invoices')
  @Scopes('billing:read')
  @ApiOperation({ summary: 'Invoices, newest first, with hosted page and PDF links', operationId: 'listInvoices' })
  invoices(@CurrentTenant() who: TenantPrincipal, @Query() q: InvoiceListQuery) {
    return this.billing.invoices(who.tenantId, q.limit ?? 10, q.starting_after);
  }

  @Post('checkout')
  @HttpCode(201)
  @Scopes('billing:write')
  @ApiOperation({ summary: 'A Stripe Checkout URL to subscribe to a plan', operationId: 'createCheckout' })
  async checkout(@CurrentTenant() who: TenantPrincipal, @Body() body: CheckoutDto, @Req() req: Request) {
    const s = await this.billing.checkout(actorOf(req), who.tenantId, body.plan);
    return { object: 'checkout_session' as const, id: s.id, url: s.url };
  }

  @Post('portal')
  @HttpCode(201)
  @Scopes('billing:write')
  @ApiOperation({ summary: 'A Stripe Customer Portal URL (payment methods, plan, invoices)', operationId: 'createBillingPortal' })
  async portal(@CurrentTenant() who: TenantPrincipal, @Req() req: Request) {
    return { object: 'billing_portal_session' as const, ...(await this.billing.portal(actorOf(req), who.tenantId)) };
  }
}
