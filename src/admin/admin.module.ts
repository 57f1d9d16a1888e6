import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { AdminTenantsController } from './admin-tenants.controller.js';

@Module({
  imports: [AuthModule, TenantsModule],
  controllers: [AdminTenantsController],
})
export class AdminModule {}
