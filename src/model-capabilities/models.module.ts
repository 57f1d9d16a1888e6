import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ModelCapability } from './model-capability.entity.js';
import { ModelCapabilitiesService } from './model-capabilities.service.js';
import { AdminModelCapabilitiesController } from './admin-model-capabilities.controller.js';
import { AuditModule } from '../audit/index.js';
import { KeysModule } from '../keys/index.js';

/** Model capabilities as the API and the worker read them. */
@Module({
  imports: [TypeOrmModule.forFeature([ModelCapability]), AuditModule, KeysModule],
  providers: [ModelCapabilitiesService],
  exports: [ModelCapabilitiesService],
})
export class ModelCapabilitiesModule {}

/** The API side: the operator's override endpoints. */
@Module({ imports: [ModelCapabilitiesModule], controllers: [AdminModelCapabilitiesController] })
export class ModelsApiModule {}
