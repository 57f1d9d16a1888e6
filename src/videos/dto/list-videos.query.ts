import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ListQuery } from '../../platform/http/pagination.js';

export const VIDEO_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;

export class ListVideosQuery extends ListQuery {
  @ApiPropertyOptional({ enum: VIDEO_STATUSES })
  @IsOptional() @IsIn(VIDEO_STATUSES)
  status?: (typeof VIDEO_STATUSES)[number];
}
