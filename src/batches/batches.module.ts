import { Module } from '@nestjs/common';
import { RateCardsModule } from '../contracts/index.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FilesModule } from '../files/index.js';
import { LimitsModule } from '../limits/index.js';
import { ModelRankingModule } from '../miners/index.js';
import { ServableModelsModule } from '../backends/index.js';
import { ModelCapabilitiesModule } from '../model-capabilities/index.js';
import { PricingModule } from '../usage/index.js';
import { VideosModule } from '../videos/index.js';
import { Batch } from './batch.entity.js';
import { BatchesController } from './batches.controller.js';
import { BatchEventStreamController } from './batch-event-stream.controller.js';
import { BatchesService } from './batches.service.js';
import { BatchControl } from './batch-control.service.js';
import { BatchIntake } from './batch-intake.service.js';
import { BatchManifest } from './batch-manifest.js';
import { BatchArchive } from './batch-archive.js';
import { BatchQuota } from './batch-quota.service.js';
import { BatchSource } from './batch-source.service.js';
import { BatchProgressFeed } from './batch-progress-feed.js';
import { DestinationsModule } from '../destinations/index.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Batch]),
    FilesModule,
    LimitsModule,
    ModelRankingModule,
    ServableModelsModule,
    ModelCapabilitiesModule,
    PricingModule,
    RateCardsModule,
    VideosModule,
    DestinationsModule,
  ],
  controllers: [BatchesController, BatchEventStreamController],
  providers: [BatchesService, BatchControl, BatchIntake, BatchManifest, BatchArchive, BatchQuota, BatchSource, BatchProgressFeed],
})
export class BatchesModule {}
