import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CONTENT_VARIANTS, type ContentVariant } from '../videos.service.js';

export class ContentQuery {
  @ApiPropertyOptional({
    enum: CONTENT_VARIANTS,
    default: 'video',
    description:
      "`video` (MP4), `poster` (first frame, JPEG, full size), `thumbnail` (WebP, 320 px on the long side) or `preview`: the first segment of a chained video as soon as it is delivered, while the rest renders (the finished video for a single clip), or `raw`: the model's render before post-production (the video itself when there was none).",
  })
  @IsOptional()
  @IsIn(CONTENT_VARIANTS)
  variant?: ContentVariant;
}
