import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueModule } from '../platform/queue/queue.module.js';
import { LimitsModule } from '../limits/index.js';
import { AuditModule } from '../audit/index.js';
import { PricingModule } from '../usage/index.js';
import { RateCardsModule } from '../contracts/index.js';
import { Video } from './video.entity.js';
import { VideoContent } from './video-content.service.js';
import { VideoTransitions } from './video-transitions.service.js';
import { VideosQueue } from './videos-queue.js';
import { WaitingQueue } from './waiting-queue.service.js';

/** Deletion, erasure and expiry of videos' stored objects, for the api (DELETE, erase) and the worker (retention). */
@Module({
  imports: [TypeOrmModule.forFeature([Video]), QueueModule, LimitsModule, AuditModule, PricingModule, RateCardsModule],
  providers: [VideoContent, VideoTransitions, WaitingQueue, VideosQueue],
  exports: [VideoContent],
})
export class VideoContentModule {}
