import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/index.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { TenantsModule } from '../tenants/index.js';
import { billingEntities } from './billing-entities.js';
import { RevenueLedgerService } from './revenue/revenue-ledger.service.js';
import { StripeClient } from './stripe/stripe-client.js';
import { AccountStanding } from './subscriptions/account-standing.service.js';
import { SubscriptionSync } from './subscriptions/subscription-sync.service.js';
import { PaymentEvents } from './subscriptions/payment-events.service.js';
import { ProcessStripeEventJob } from './process-stripe-event.job.js';
import { MeterEventRelay } from './stripe/meter-event-relay.service.js';
import { DunningSweep } from './subscriptions/dunning-sweep.service.js';
import { StripeEventSweep } from './stripe/stripe-event-sweep.service.js';
import { BillingProcessor } from './billing.processor.js';
import { PlanChangeSync } from './subscriptions/plan-change-sync.service.js';
import { CreditPurchases } from './credits/credit-purchases.js';
import { PricingModule } from '../usage/index.js';
import { BillingGauges } from './billing.metrics.js';
import { CommitmentTrueUp } from './commitment-true-up.service.js';
import { ContractStripeSync } from './contract-stripe-sync.service.js';
import { CatalogService } from './stripe/catalog.service.js';
import { RateCardsModule } from '../contracts/index.js';

/** Worker side of billing: Stripe events (and their sweep), the meter-event relay and the dunning sweep. */
@Module({
  imports: [TypeOrmModule.forFeature(billingEntities), AuditModule, QueueModule, TenantsModule, PricingModule, RateCardsModule],
  providers: [
    RevenueLedgerService,
    StripeClient,
    AccountStanding,
    SubscriptionSync,
    PaymentEvents,
    ProcessStripeEventJob,
    MeterEventRelay,
    DunningSweep,
    StripeEventSweep,
    PlanChangeSync,
    BillingProcessor,
    BillingGauges,
    CreditPurchases,
    CommitmentTrueUp,
    ContractStripeSync,
    CatalogService,
  ],
  exports: [RevenueLedgerService],
})
export class BillingWorkerModule {}
