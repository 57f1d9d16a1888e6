import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StoredFile } from './file.entity.js';
import { FilesController } from './files.controller.js';
import { FilesService } from './files.service.js';
import { ImageIntakeService } from './image-intake.service.js';
import { uploadMiddleware } from './upload.middleware.js';

@Module({
  imports: [TypeOrmModule.forFeature([StoredFile])],
  controllers: [FilesController],
  providers: [FilesService, ImageIntakeService],
  exports: [FilesService, ImageIntakeService],
})
export class FilesModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(uploadMiddleware('file')).forRoutes({ path: 'v1/files', method: RequestMethod.POST });
  }
}
