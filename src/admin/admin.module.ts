import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { PlansModule } from '../plans/plans.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { OperatorsService } from '../operators/operators.service.js';
import { AdminTenantsController } from './admin-tenants.controller.js';
import { AdminOperatorsController, AdminPlansController } from './admin-operators.controller.js';

@Module({
  imports: [AuthModule, TenantsModule, PlansModule, AuditModule],
  controllers: [AdminTenantsController, AdminOperatorsController, AdminPlansController],
  providers: [OperatorsService],
})
export class AdminModule {}
