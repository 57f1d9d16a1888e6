import { Module } from '@nestjs/common';
import { TenantsService } from './tenants.service.js';
import { PlansModule } from '../plans/plans.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';

@Module({
  imports: [PlansModule, AuditModule, AuthModule],
  providers: [TenantsService],
  exports: [TenantsService],
})
export class TenantsModule {}
