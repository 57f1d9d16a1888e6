import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/index.js';
import { KeysModule } from '../keys/index.js';
import { pricingEntities } from './pricing-entities.js';
import { UsageCostService } from './usage-cost.service.js';
import { CreditsService } from './credits.service.js';
import { SpendAlertsService } from './spend-alerts.service.js';

/** Costs, credits and spend alerts: what the api and the worker both need (videos price their usage with it). */
@Module({
  imports: [TypeOrmModule.forFeature(pricingEntities), AuditModule, KeysModule],
  providers: [UsageCostService, CreditsService, SpendAlertsService],
  exports: [UsageCostService, CreditsService, SpendAlertsService],
})
export class PricingModule {}
