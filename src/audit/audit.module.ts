import { Module } from '@nestjs/common';
import { AuditService } from './audit.service.js';
import { AdminAuditLogController, AuditLogController } from './audit.controllers.js';

@Module({
  controllers: [AdminAuditLogController, AuditLogController],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
