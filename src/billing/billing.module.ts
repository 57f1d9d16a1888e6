import { Module } from '@nestjs/common';
import { RateCardsModule } from '../contracts/index.js';
import { MoneyReconcileService } from './money-reconcile.service.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/index.js';
import { LimitsModule } from '../limits/index.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { billingEntities } from './billing-entities.js';
import { RevenueLedgerService } from './revenue/revenue-ledger.service.js';
import { StripeClient } from './stripe/stripe-client.js';
import { CatalogService } from './stripe/catalog.service.js';
import { BillingService } from './billing.service.js';
import { ReconcileService } from './reconcile.service.js';
import { BillingController } from './billing.controller.js';
import { AdminBillingController } from './admin-billing.controller.js';
import { StripeWebhooksController } from './stripe/stripe-webhooks.controller.js';
import { AdminRevenueController } from './revenue/admin-revenue.controller.js';
import { RevenueReads } from './revenue/revenue-reads.service.js';
import { StripeEventReads } from './stripe/stripe-event-reads.service.js';
import { CreditCheckoutController } from './credits/credit-purchases.js';

/** API side of Stripe billing. Exports the revenue ledger, the treasury's input. */
@Module({
  imports: [TypeOrmModule.forFeature(billingEntities), AuditModule, LimitsModule, QueueModule, RateCardsModule],
  controllers: [BillingController, AdminBillingController, AdminRevenueController, StripeWebhooksController, CreditCheckoutController],
  providers: [RevenueLedgerService, RevenueReads, StripeEventReads, StripeClient, CatalogService, BillingService, ReconcileService, MoneyReconcileService],
  exports: [RevenueLedgerService],
})
export class BillingModule {}
