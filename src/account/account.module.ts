import { Module } from '@nestjs/common';
import { AccountController } from './account.controller.js';
import { LimitsModule } from '../limits/index.js';
import { PricingApiModule } from '../usage/index.js';
import { BillingStandingModule } from '../billing/index.js';

@Module({
  imports: [LimitsModule, PricingApiModule, BillingStandingModule],
  controllers: [AccountController],
})
export class AccountModule {}
