import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/index.js';
import { DestinationsController, VideoRedeliveryController } from './destinations.controller.js';
import { DestinationsService, Redeliveries } from './destinations.service.js';
import { destinationEntities } from './destination-entities.js';

/** API side of destinations: registering and testing them, and redelivering a video. */
@Module({
  imports: [TypeOrmModule.forFeature(destinationEntities), AuditModule],
  controllers: [DestinationsController, VideoRedeliveryController],
  providers: [DestinationsService, Redeliveries],
  exports: [DestinationsService],
})
export class DestinationsModule {}
