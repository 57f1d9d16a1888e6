import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/index.js';
import { PlansModule } from '../plans/index.js';
import { TenantsModule } from '../tenants/index.js';
import { RateCardsModule } from './rate-cards.module.js';
import { ContractsService } from './contracts.service.js';
import { PlanCatalogue } from './plan-catalogue.service.js';
import { AdminContractsController } from './admin-contracts.controller.js';
import { AdminPlanChangesController } from './admin-plan-changes.controller.js';
import { PricingController } from './pricing.controller.js';
import { ContractActivation } from './contract-activation.service.js';

/** The API side: contracts, plan changes that reach tenants, and the price list. */
@Module({
  imports: [RateCardsModule, PlansModule, TenantsModule, AuditModule],
  controllers: [AdminContractsController, AdminPlanChangesController, PricingController],
  providers: [ContractsService, PlanCatalogue],
  exports: [ContractsService, RateCardsModule],
})
export class ContractsModule {}

/** The worker side: contract versions take effect when their date passes. */
@Module({
  imports: [RateCardsModule, PlansModule, TenantsModule, AuditModule],
  providers: [ContractsService, ContractActivation],
})
export class ContractsWorkerModule {}
