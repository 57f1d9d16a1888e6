import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/pagination.js';

export const VIDEO_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled', 'expired'] as const;

export class ListVideosQuery extends ListQuery {
  @ApiPropertyOptional({ enum: VIDEO_STATUSES, description: 'Only videos with this status.' })
  @IsOptional()
  @IsIn(VIDEO_STATUSES)
  status?: (typeof VIDEO_STATUSES)[number];

  @ApiPropertyOptional({ description: "Only the items of this batch (`bat_…`); another tenant's batch lists nothing." })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  batch_id?: string;

  @ApiPropertyOptional({ description: 'Only the variants made by one request with `n` (`vgr_…`).', example: 'vgr_01jd3v8m7k2q9x4r5s6t7v8w9x' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  group_id?: string;
}
