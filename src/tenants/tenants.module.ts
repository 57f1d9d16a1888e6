import { Module } from '@nestjs/common';
import { TenantsService } from './tenants.service.js';
import { AdminTenantsController } from './admin-tenants.controller.js';
import { PlansModule } from '../plans/index.js';
import { AuditModule } from '../audit/index.js';
import { KeysModule } from '../keys/index.js';

@Module({
  imports: [PlansModule, AuditModule, KeysModule],
  controllers: [AdminTenantsController],
  providers: [TenantsService],
  exports: [TenantsService],
})
export class TenantsModule {}
