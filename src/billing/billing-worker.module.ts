import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/index.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { TenantsModule } from '../tenants/index.js';
import { billingEntities } from './billing-entities.js';
import { RevenueLedgerService } from './revenue-ledger.service.js';
import { StripeClient } from './stripe-client.js';
import { AccountStanding } from './account-standing.service.js';
import { SubscriptionSync } from './subscription-sync.service.js';
import { PaymentEvents } from './payment-events.service.js';
import { ProcessStripeEventJob } from './process-stripe-event.job.js';
import { MeterEventRelay } from './meter-event-relay.service.js';
import { DunningSweep } from './dunning-sweep.service.js';
import { StripeEventSweep } from './stripe-event-sweep.service.js';
import { BillingProcessor } from './billing.processor.js';
import { PlanChangeSync } from './plan-change-sync.service.js';
import { CreditPurchases } from './credit-purchases.js';
import { PricingModule } from '../usage/index.js';
import { BillingGauges } from './billing.metrics.js';
import { CommitmentTrueUp } from './commitment-true-up.service.js';
import { ContractStripeSync } from './contract-stripe-sync.service.js';
import { CatalogService } from './catalog.service.js';
import { RateCardsModule } from '../contracts/index.js';

/** Worker side of billing: Stripe events (and their sweep), the meter-event relay and the dunning sweep. */
@Module({
  imports: [TypeOrmModule.forFeature(billingEntities), AuditModule, QueueModule, TenantsModule, PricingModule, RateCardsModule],
  providers: [RevenueLedgerService, StripeClient, AccountStanding, SubscriptionSync, PaymentEvents, ProcessStripeEventJob, MeterEventRelay, DunningSweep, StripeEventSweep, PlanChangeSync, BillingProcessor, BillingGauges, CreditPurchases, CommitmentTrueUp, ContractStripeSync, CatalogService],
  exports: [RevenueLedgerService],
})
export class BillingWorkerModule {}
