import { Module } from '@nestjs/common';
import { AccountController } from './account.controller.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { LimitsModule } from '../limits/limits.module.js';

@Module({
  imports: [TenantsModule, LimitsModule],
  controllers: [AccountController],
})
export class AccountModule {}
