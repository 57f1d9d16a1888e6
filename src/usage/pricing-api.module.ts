import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/index.js';
import { PlansModule } from '../plans/index.js';
import { PricingModule } from './pricing.module.js';
import { PricingController } from './pricing.controller.js';
import { AdminUsageExportController, UsageExportController } from './usage-export.controller.js';
import { AdminCreditsController, BillingControlsController } from './billing-controls.controller.js';
import { UsageReportService } from './usage-report.service.js';

/** The API side of pricing: public prices, usage history and export, spend alerts and credits. */
@Module({
  imports: [PricingModule, PlansModule, AuditModule],
  controllers: [PricingController, UsageExportController, AdminUsageExportController, BillingControlsController, AdminCreditsController],
  providers: [UsageReportService],
  exports: [UsageReportService, PricingModule],
})
export class PricingApiModule {}
