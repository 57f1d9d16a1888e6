import { Module } from '@nestjs/common';
import { RateCardsModule } from '../contracts/index.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LimitsModule } from '../limits/index.js';
import { PricingModule } from '../usage/index.js';
import { VideosWorkerModule } from '../videos/index.js';
import { Batch } from './batch.entity.js';
import { BatchScheduler } from './batch-scheduler.service.js';
import { BatchManifest } from './batch-manifest.js';
import { BatchManifestRelay } from './batch-manifest-relay.service.js';
import { DestinationsWorkerModule } from '../destinations/index.js';

/** The worker side of batches: the scheduler that hands items to the videos queue and finishes batches, and the relay that writes an ended batch's manifest to its destination. */
@Module({
  imports: [TypeOrmModule.forFeature([Batch]), LimitsModule, PricingModule, RateCardsModule, VideosWorkerModule, DestinationsWorkerModule],
  providers: [BatchScheduler, BatchManifest, BatchManifestRelay],
})
export class BatchesWorkerModule {}
