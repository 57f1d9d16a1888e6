import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CONTENT_VARIANTS, type ContentVariant } from '../videos.service.js';

export class ContentQuery {
  @ApiPropertyOptional({
    enum: CONTENT_VARIANTS,
    default: 'video',
    description: '`video` (MP4), `poster` (first frame, JPEG, full size) or `thumbnail` (WebP, 320 px on the long side).',
  })
  @IsOptional()
  @IsIn(CONTENT_VARIANTS)
  variant?: ContentVariant;
}
