import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FilesModule } from '../files/files.module.js';
import { uploadMiddleware } from '../files/upload.middleware.js';
import { QueueModule } from '../queue/queue.module.js';
import { LimitsModule } from '../limits/limits.module.js';
import { ModelRankingModule } from '../miners/miners.module.js';
import { ModelCapabilitiesModule } from '../models/models.module.js';
import { Video } from './video.entity.js';
import { VideosController } from './videos.controller.js';
import { VideosService } from './videos.service.js';
import { VideoPresenter } from './video.presenter.js';
import { VideoTransitions } from './video-transitions.service.js';
import { VideosQueue } from './videos-queue.js';

@Module({
  imports: [TypeOrmModule.forFeature([Video]), FilesModule, QueueModule, LimitsModule, ModelRankingModule, ModelCapabilitiesModule],
  controllers: [VideosController],
  providers: [VideosService, VideoPresenter, VideoTransitions, VideosQueue],
  exports: [VideosService],
})
export class VideosModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(uploadMiddleware('image')).forRoutes({ path: 'v1/videos', method: RequestMethod.POST });
  }
}
