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
  @ApiOperation({ summary: 'Create or update the Stripe products, prices and meter for every sellable plan (idempotent)', operationId: 'adminSyncCatalog', description: "Creates or updates, in Stripe, the product and prices of every sellable plan and the usage meters for video-seconds. Safe to run again; run it after changing plans or prices." })
  async syncCatalog(@Req() req: Request) {
    const result = await this.catalog.sync(this.stripe.require());
    await this.audit.recordAlone(actorOf(req), { tenantId: null, action: 'billing.catalog_synced', targetType: 'catalog', targetId: 'stripe', after: { ...result } });
    return { object: 'catalog_sync' as const, ...result };
  }

  @Post('tenants/:id/subscription')
  @HttpCode(200)
  @Roles('finance', 'sales')
  @ProblemCodes('billing_not_configured', 'billing_mode_self_serve', 'plan_not_for_sale', 'stripe_unavailable', 'stripe_timeout')
  @ApiOperation({ summary: 'Subscribe an invoice-billed tenant (send_invoice with its net days); idempotent', operationId: 'adminSubscribeTenant', description: "Starts a Stripe subscription billed by invoice (`send_invoice`, payable within the tenant's net days) for an enterprise tenant. Idempotent per tenant." })
  async subscribe(@Param('id') id: string, @Req() req: Request) {
    const a = await this.billing.subscribeByInvoice(actorOf(req), id, this.stripe.deadline());
    return { object: 'billing_account' as const, tenant: a.tenantId, customer: a.stripeCustomerId, subscription: a.stripeSubscriptionId, status: a.subscriptionStatus, plan: a.subscribedPlan };
  }

  @Get('reconcile')
  @Roles('finance')
  @ProblemCodes('billing_not_configured', 'stripe_unavailable', 'stripe_timeout')
  @ApiOperation({ summary: 'Succeeded videos vs usage rows vs sent meter events vs Stripe meter summaries for a month; every gap named', operationId: 'adminReconcileBilling', description: "For one month: succeeded live videos, usage rows, meter events sent and Stripe's meter summaries side by side, with every mismatch named, so billing can be trusted before invoices go out." })
  run(@Query() q: ReconcileQuery) {
    return this.reconcile.run(q.period);
  }

  @Get('reconcile/money')
  @Roles('finance')
  @ProblemCodes('billing_not_configured', 'stripe_unavailable', 'stripe_timeout')
  @ApiOperation({
    summary: "Finalised invoices vs our ledger, in money, for a month; every difference with its line and videos",
    operationId: 'adminReconcileBillingMoney',
    description: "For every invoice Stripe finalised for a period starting in the month: its lines (base, usage per resolution, commitment true-up), subtotal, discounts, tax (kept apart: Stripe's alone), total and customer credit applied, against what our ledger says for the same tenant and period (rate card base, the sum of the per-video costs, true-up, discount, credits drawn). Each difference names its invoice and line and, for usage, the videos whose stored cost does not add up. Empty `differences`: every invoice equals the ledger to the cent.",
  })
  money(@Query() q: ReconcileQuery) {
    return this.moneyReconcile.run(q.period);
  }

  @Get('events')
  @Roles('finance', 'support')
  @ApiOperation({ summary: 'Stripe events received, newest first, by status: pending, failing, applied, ignored or unmatched (no tenant owns the object)', operationId: 'adminListStripeEvents', description: 'Every Stripe webhook event we received and what became of it, cursor-paginated, newest first; filter by `status` and `type`. `unmatched` events name objects no tenant owns and need a look.' })
  @ApiOkResponse({ type: StripeEventList })
  events(@Query() q: StripeEventListQuery): Promise<StripeEventList> {
    this.stripe.require();
    return this.stripeEvents.list(q);
  }

  @Get('meter-lag')
  @Roles('finance', 'support')
  @ApiOperation({ summary: 'Live usage not yet accepted by Stripe, and the age of the oldest', operationId: 'adminMeterLag', description: "Live usage rows not yet accepted by Stripe's meter and the age of the oldest: the number to alert on." })
  lag() {
    this.stripe.require();
    return this.reconcile.lag();
  }
}
