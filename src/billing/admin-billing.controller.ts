import { Controller, Get, HttpCode, Param, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { actorOf, AuditService } from '../audit/index.js';
import { BillingService } from './billing.service.js';
import { CatalogService } from './stripe/catalog.service.js';
import { ReconcileService } from './reconcile.service.js';
import { StripeClient } from './stripe/stripe-client.js';
import { StripeFailures } from './stripe/stripe-failures.js';
import { ReconcileQuery } from './dto/billing-inputs.dto.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { StripeEventList, StripeEventListQuery } from './stripe/stripe-event.dto.js';
import { StripeEventReads } from './stripe/stripe-event-reads.service.js';
import { MoneyReconcileService } from './money-reconcile.service.js';
import { adminBillingDocs } from './admin-billing.docs.js';

/**
 * Operator side of billing: the catalogue, invoice-billed subscriptions, reconciliation, relay lag
 * and received Stripe events. The catalogue sync and reconcile make many Stripe calls, each capped
 * by STRIPE_TIMEOUT_MS and STRIPE_MAX_NETWORK_RETRIES; Stripe down is 502/504 (StripeFailures).
 */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/billing')
@UseInterceptors(StripeFailures)
export class AdminBillingController {
  constructor(
    private readonly billing: BillingService,
    private readonly catalog: CatalogService,
    private readonly reconcile: ReconcileService,
    private readonly stripe: StripeClient,
    private readonly stripeEvents: StripeEventReads,
    private readonly audit: AuditService,
    private readonly moneyReconcile: MoneyReconcileService,
  ) {}

  @Post('sync-catalog')
  @HttpCode(200)
  @ProblemCodes('billing_not_configured', 'stripe_unavailable', 'stripe_timeout')
  @ApiOperation(adminBillingDocs.adminSyncCatalog)
  async syncCatalog(@Req() req: Request) {
    const result = await this.catalog.sync(this.stripe.require());
    await this.audit.recordAlone(actorOf(req), {
      tenantId: null,
      action: 'billing.catalog_synced',
      targetType: 'catalog',
      targetId: 'stripe',
      after: { ...result },
    });
    return { object: 'catalog_sync' as const, ...result };
  }

  @Post('tenants/:id/subscription')
  @HttpCode(200)
  @Roles('finance', 'sales')
  @ProblemCodes('billing_not_configured', 'billing_mode_self_serve', 'plan_not_for_sale', 'stripe_unavailable', 'stripe_timeout')
  @ApiOperation(adminBillingDocs.adminSubscribeTenant)
  async subscribe(@Param('id') id: string, @Req() req: Request) {
    const a = await this.billing.subscribeByInvoice(actorOf(req), id, this.stripe.deadline());
    return {
      object: 'billing_account' as const,
      tenant: a.tenantId,
      customer: a.stripeCustomerId,
      subscription: a.stripeSubscriptionId,
      status: a.subscriptionStatus,
      plan: a.subscribedPlan,
    };
  }

  @Get('reconcile')
  @Roles('finance')
  @ProblemCodes('billing_not_configured', 'stripe_unavailable', 'stripe_timeout')
  @ApiOperation(adminBillingDocs.adminReconcileBilling)
  run(@Query() q: ReconcileQuery) {
    return this.reconcile.run(q.period);
  }

  @Get('reconcile/money')
  @Roles('finance')
  @ProblemCodes('billing_not_configured', 'stripe_unavailable', 'stripe_timeout')
  @ApiOperation(adminBillingDocs.adminReconcileBillingMoney)
  money(@Query() q: ReconcileQuery) {
    return this.moneyReconcile.run(q.period);
  }

  @Get('events')
  @Roles('finance', 'support')
  @ApiOperation(adminBillingDocs.adminListStripeEvents)
  @ApiOkResponse({ type: StripeEventList })
  events(@Query() q: StripeEventListQuery): Promise<StripeEventList> {
    this.stripe.require();
    return this.stripeEvents.list(q);
  }

  @Get('meter-lag')
  @Roles('finance', 'support')
  @ApiOperation(adminBillingDocs.adminMeterLag)
  lag() {
    this.stripe.require();
    return this.reconcile.lag();
  }
}
