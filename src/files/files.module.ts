import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StoredFile } from './file.entity.js';
import { FilesController } from './files.controller.js';
import { FilesService } from './files.service.js';
import { ImageIntakeService } from './image-intake.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([StoredFile])],
  controllers: [FilesController],
  providers: [FilesService, ImageIntakeService],
  exports: [FilesService, ImageIntakeService],
})
export class FilesModule {}
