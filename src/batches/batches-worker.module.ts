import { Module } from '@nestjs/common';
import { RateCardsModule } from '../contracts/index.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LimitsModule } from '../limits/index.js';
import { PricingModule } from '../usage/index.js';
import { VideosWorkerModule } from '../videos/index.js';
import { Batch } from './batch.entity.js';
import { BatchScheduler } from './batch-scheduler.service.js';

/** The worker side of batches: the scheduler that hands items to the videos queue and finishes batches. */
@Module({
  imports: [TypeOrmModule.forFeature([Batch]), LimitsModule, PricingModule, RateCardsModule, VideosWorkerModule],
  providers: [BatchScheduler],
})
export class BatchesWorkerModule {}
