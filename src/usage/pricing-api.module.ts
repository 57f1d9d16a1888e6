import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/index.js';
import { PricingModule } from './pricing.module.js';
import { AdminUsageExportController, UsageExportController } from './usage-export.controller.js';
import { AdminCreditsController, BillingControlsController } from './billing-controls.controller.js';
import { UsageReportService } from './usage-report.service.js';

/** The API side of pricing: usage history and export, spend alerts and credits (the price list is contracts/'). */
@Module({
  imports: [PricingModule, AuditModule],
  controllers: [UsageExportController, AdminUsageExportController, BillingControlsController, AdminCreditsController],
  providers: [UsageReportService],
  exports: [UsageReportService, PricingModule],
})
export class PricingApiModule {}
