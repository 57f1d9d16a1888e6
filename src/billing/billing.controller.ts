import { Body, Controller, Get, HttpCode, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { actorOf } from '../audit/index.js';
import { QuotaService } from '../limits/index.js';
import { currentPeriod } from '../usage/index.js';
import { BillingService } from './billing.service.js';
import { CheckoutDto, InvoiceListQuery } from './dto/billing-inputs.dto.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { StripeClient } from './stripe/stripe-client.js';
import { StripeFailures } from './stripe/stripe-failures.js';
import { billingDocs } from './billing.docs.js';

/**
 * Self-serve billing. Every route answers 503 billing_not_configured when Stripe is not set up;
 * the ones calling Stripe answer 502/504 when Stripe is down or slow (StripeFailures).
 */
@ApiTags('billing')
@ApiBearerAuth()
@KeyModes('live')
@Controller('v1/billing')
@UseInterceptors(StripeFailures)
export class BillingController {
  constructor(
    private readonly billing: BillingService,
    private readonly quota: QuotaService,
    private readonly stripe: StripeClient,
  ) {}

  @Get()
  @Scopes('billing:read')
  @ProblemCodes('billing_not_configured')
  @ApiOperation(billingDocs.getBilling)
  async get(@CurrentTenant() who: TenantPrincipal) {
    const period = currentPeriod();
    return this.billing.overview(who.tenantId, period, await this.quota.settledSeconds({ tenantId: who.tenantId, livemode: true }, period));
  }

  @Get('invoices')
  @Scopes('billing:read')
  @ProblemCodes('billing_not_configured', 'stripe_unavailable', 'stripe_timeout')
  @ApiOperation(billingDocs.listInvoices)
  invoices(@CurrentTenant() who: TenantPrincipal, @Query() q: InvoiceListQuery) {
    return this.billing.invoices(who.tenantId, q.limit ?? 10, q.starting_after, this.stripe.deadline());
  }

  @Post('checkout')
  @HttpCode(201)
  @Scopes('billing:write')
  @ProblemCodes(
    'billing_not_configured',
    'plan_not_self_serve',
    'plan_not_for_sale',
    'billing_mode_invoice',
    'subscription_exists',
    'stripe_unavailable',
    'stripe_timeout',
  )
  @ApiOperation(billingDocs.createCheckout)
  async checkout(@CurrentTenant() who: TenantPrincipal, @Body() body: CheckoutDto, @Req() req: Request) {
    const s = await this.billing.checkout(actorOf(req), who.tenantId, body.plan, this.stripe.deadline());
    return { object: 'checkout_session' as const, id: s.id, url: s.url };
  }

  @Post('portal')
  @HttpCode(201)
  @Scopes('billing:write')
  @ProblemCodes('billing_not_configured', 'stripe_unavailable', 'stripe_timeout')
  @ApiOperation(billingDocs.createBillingPortal)
  async portal(@CurrentTenant() who: TenantPrincipal, @Req() req: Request) {
    return { object: 'billing_portal_session' as const, ...(await this.billing.portal(actorOf(req), who.tenantId, this.stripe.deadline())) };
  }
}
