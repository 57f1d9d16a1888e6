import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RevenueEntry } from './revenue-entry.entity.js';
import { RevenueLedgerService } from './revenue-ledger.service.js';

/** Stripe billing. Exports the revenue ledger, the treasury's input. */
@Module({
  imports: [TypeOrmModule.forFeature([RevenueEntry])],
  providers: [RevenueLedgerService],
  exports: [RevenueLedgerService],
})
export class BillingModule {}
