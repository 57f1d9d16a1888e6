import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/index.js';
import { AuditModule } from '../audit/index.js';
import { OperatorsService } from './operators.service.js';
import { AdminOperatorsController } from './admin-operators.controller.js';

/** Staff accounts and their lk_op_ keys (/v1/admin/operators). */
@Module({
  imports: [KeysModule, AuditModule],
  controllers: [AdminOperatorsController],
  providers: [OperatorsService],
  exports: [OperatorsService],
})
export class OperatorsModule {}
