import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueModule } from '../queue/queue.module.js';
import { LimitsModule } from '../limits/limits.module.js';
import { JobRegistry } from '../queue/job-registry.js';
import { Video } from './video.entity.js';
import { UsageRecord } from './usage-record.entity.js';
import { GenerateVideoJob } from './generate-video.job.js';
import { VideosProcessor } from './videos.processor.js';
import { VideoTransitions } from './video-transitions.service.js';

@Module({
  imports: [DiscoveryModule, TypeOrmModule.forFeature([Video, UsageRecord]), QueueModule, LimitsModule],
  providers: [JobRegistry, GenerateVideoJob, VideosProcessor, VideoTransitions],
})
export class VideosWorkerModule {}
