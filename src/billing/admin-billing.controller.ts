import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { actorOf, AuditService } from '../audit/index.js';
import { BillingService } from './billing.service.js';
import { CatalogService } from './catalog.service.js';
import { ReconcileService } from './reconcile.service.js';
import { StripeClient } from './stripe-client.js';
import { ReconcileQuery } from './dto/billing-inputs.dto.js';
import { StripeEventList, StripeEventListQuery } from './dto/stripe-event.dto.js';
import { StripeEventReads } from './stripe-event-reads.service.js';

/** Operator side of billing: the catalogue, invoice-billed subscriptions, reconciliation, relay lag and received Stripe events. */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/billing')
export class AdminBillingController {
  constructor(
    private readonly billing: BillingService,
    private readonly catalog: CatalogService,
    private readonly reconcile: ReconcileService,
    private readonly stripe: StripeClient,
    private readonly stripeEvents: StripeEventReads,
    private readonly audit: AuditService,
  ) {}

  @Post('sync-catalog')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create or update the Stripe products, prices and meter for every sellable plan (idempotent)', operationId: 'adminSyncCatalog' })
  async syncCatalog(@Req() req: Request) {
    const result = await this.catalog.sync(this.stripe.require());
    await this.audit.recordAlone(actorOf(req), { tenantId: null, action: 'billing.catalog_synced', targetType: 'catalog', targetId: 'stripe', after: { ...result } });
    return { object: 'catalog_sync' as const, ...result };
  }

  @Post('tenants/:id/subscription')
  @HttpCode(200)
  @Roles('finance', 'sales')
  @ApiOperation({ summary: 'Subscribe an invoice-billed tenant (send_invoice with its net days); idempotent', operationId: 'adminSubscribeTenant' })
  async subscribe(@Param('id') id: string, @Req() req: Request) {
    const a = await this.billing.subscribeByInvoice(actorOf(req), id);
    return { object: 'billing_account' as const, tenant: a.tenantId, customer: a.stripeCustomerId, subscription: a.stripeSubscriptionId, status: a.subscriptionStatus, plan: a.subscribedPlan };
  }

  @Get('reconcile')
  @Roles('finance')
  @ApiOperation({ summary: 'Succeeded videos vs usage rows vs sent meter events vs Stripe meter summaries for a month; every gap named', operationId: 'adminReconcileBilling' })
  run(@Query() q: ReconcileQuery) {
    return this.reconcile.run(q.period);
  }

  @Get('events')
  @Roles('finance', 'support')
  @ApiOperation({ summary: 'Stripe events received, newest first, by status: pending, failing, applied, ignored or unmatched (no tenant owns the object)', operationId: 'adminListStripeEvents' })
  @ApiOkResponse({ type: StripeEventList })
  events(@Query() q: StripeEventListQuery): Promise<StripeEventList> {
    this.stripe.require();
    return this.stripeEvents.list(q);
  }

  @Get('meter-lag')
  @Roles('finance', 'support')
  @ApiOperation({ summary: 'Live usage not yet accepted by Stripe, and the age of the oldest', operationId: 'adminMeterLag' })
  lag() {
    this.stripe.require();
    return this.reconcile.lag();
  }
}
