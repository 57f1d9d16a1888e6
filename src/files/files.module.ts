import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StoredFile } from './file.entity.js';
import { FilesController } from './files.controller.js';
import { FilesService } from './files.service.js';
import { ImageIntakeService } from './image-intake.service.js';
import { AudioIntakeService } from './audio-intake.service.js';
import { PresignedUploads } from './presigned-uploads.service.js';
import { AuditModule } from '../audit/index.js';

@Module({
  imports: [TypeOrmModule.forFeature([StoredFile]), AuditModule],
  controllers: [FilesController],
  providers: [FilesService, ImageIntakeService, AudioIntakeService, PresignedUploads],
  exports: [FilesService, ImageIntakeService, AudioIntakeService],
})
export class FilesModule {}
