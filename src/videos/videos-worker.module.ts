import { Module } from '@nestjs/common';
import { RateCardsModule } from '../contracts/index.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueModule } from '../platform/queue/queue.module.js';
import { LimitsModule } from '../limits/index.js';
import { Video } from './video.entity.js';
import { GenerateVideoJob } from './generate-video.job.js';
import { SegmentChain } from './segment-chain.js';
import { VideosProcessor } from './videos.processor.js';
import { VideoTransitions } from './video-transitions.service.js';
import { BatchItems } from './batch-items.service.js';
import { WaitingQueue } from './waiting-queue.service.js';
import { VideosQueue } from './videos-queue.js';
import { RequeueStaleVideosJob } from './requeue-stale-videos.job.js';
import { MaintenanceProcessor } from '../platform/queue/maintenance.processor.js';
import { BackendsWorkerModule, ModelSlotsModule } from '../backends/index.js';
import { PricingModule } from '../usage/index.js';
import { ImageIntakeService } from '../files/index.js';
import { DeferredInput } from './deferred-input.js';
import { ModelRankingModule } from '../miners/index.js';
import { ModelDemandGauges } from './model-demand.metrics.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Video]),
    QueueModule,
    BackendsWorkerModule,
    LimitsModule,
    PricingModule,
    RateCardsModule,
    ModelRankingModule,
    ModelSlotsModule,
  ],
  providers: [
    GenerateVideoJob,
    SegmentChain,
    VideosProcessor,
    VideoTransitions,
    BatchItems,
    WaitingQueue,
    VideosQueue,
    RequeueStaleVideosJob,
    MaintenanceProcessor,
    DeferredInput,
    ImageIntakeService,
    ModelDemandGauges,
  ],
  exports: [VideosQueue, VideoTransitions, BatchItems, WaitingQueue],
})
export class VideosWorkerModule {}
