import { Module } from '@nestjs/common';
import { RateCardsModule } from '../contracts/index.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FilesModule } from '../files/index.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { LimitsModule } from '../limits/index.js';
import { EventRecord } from '../platform/outbox/event.entity.js';
import { ModelRankingModule } from '../miners/index.js';
import { ModelCapabilitiesModule } from '../model-capabilities/index.js';
import { PricingModule } from '../usage/index.js';
import { Video } from './video.entity.js';
import { VideoEventStreamController } from './video-event-stream.controller.js';
import { VideosController } from './videos.controller.js';
import { VideosService } from './videos.service.js';
import { VideoPresenter } from './video.presenter.js';
import { VideoTransitions } from './video-transitions.service.js';
import { BatchItems } from './batch-items.service.js';
import { WaitingQueue } from './waiting-queue.service.js';
import { VideosQueue } from './videos-queue.js';
import { EventFeed } from './event-feed.service.js';
import { StreamSlots } from './stream-slots.js';
import { VideoEstimates } from './video-estimates.service.js';
import { VideoContentModule } from './video-content.module.js';
import { ModerationModule } from '../moderation/index.js';
import { ModelSlotsModule, ServableModelsModule } from '../backends/index.js';
import { ModelDemandGauges } from './model-demand.metrics.js';
import { SharedContentController } from './shared-content.controller.js';
import { SupportVideosController } from './support-videos.controller.js';
import { SupportVideoReads } from './support-video-reads.service.js';
import { TenantsModule } from '../tenants/index.js';
import { AuditModule } from '../audit/index.js';
import { DestinationsModule } from '../destinations/index.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([Video, EventRecord]),
    FilesModule,
    QueueModule,
    LimitsModule,
    ModelRankingModule,
    ModelCapabilitiesModule,
    PricingModule,
    RateCardsModule,
    VideoContentModule,
    ModerationModule,
    ModelSlotsModule,
    ServableModelsModule,
    TenantsModule,
    AuditModule,
    DestinationsModule,
  ],
  controllers: [VideosController, VideoEventStreamController, SharedContentController, SupportVideosController],
  providers: [
    SupportVideoReads,
    VideosService,
    VideoEstimates,
    VideoPresenter,
    VideoTransitions,
    BatchItems,
    WaitingQueue,
    VideosQueue,
    EventFeed,
    StreamSlots,
    ModelDemandGauges,
  ],
  exports: [VideosService, StreamSlots, VideoTransitions, BatchItems, WaitingQueue],
})
export class VideosModule {}
