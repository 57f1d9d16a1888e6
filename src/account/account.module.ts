import { Module } from '@nestjs/common';
import { AccountController } from './account.controller.js';
import { LimitsModule } from '../limits/index.js';
import { PricingApiModule } from '../pricing/index.js';

@Module({
  imports: [LimitsModule, PricingApiModule],
  controllers: [AccountController],
})
export class AccountModule {}
