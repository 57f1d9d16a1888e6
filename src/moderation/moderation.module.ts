import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenantsModule } from '../tenants/index.js';
import { AuditModule } from '../audit/index.js';
import { KeysModule } from '../keys/index.js';
import { ModerationEvent } from './moderation-event.entity.js';
import { TenantModerationSettings } from './moderation-settings.entity.js';
import { ModerationService } from './moderation.service.js';
import { AdminModerationController, ModerationEventsController } from './moderation.controllers.js';

@Module({
  imports: [TypeOrmModule.forFeature([ModerationEvent, TenantModerationSettings]), TenantsModule, AuditModule, KeysModule],
  controllers: [ModerationEventsController, AdminModerationController],
  providers: [ModerationService],
  exports: [ModerationService],
})
export class ModerationModule {}
