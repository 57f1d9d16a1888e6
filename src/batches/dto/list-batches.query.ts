import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ListQuery } from '../../platform/http/pagination.js';
import { BATCH_STATUSES, type BatchStatus } from '../batch.entity.js';

export class ListBatchesQuery extends ListQuery {
  @ApiPropertyOptional({ enum: BATCH_STATUSES, description: 'Only batches with this status.' })
  @IsOptional()
  @IsIn(BATCH_STATUSES)
  status?: BatchStatus;
}

export class BatchResultsQuery {
  @ApiPropertyOptional({
    enum: ['jsonl', 'csv'],
    default: 'jsonl',
    description: '`jsonl`: one JSON object per line; `csv`: a header row, then one row per item. Both in input order.',
  })
  @IsOptional()
  @IsIn(['jsonl', 'csv'])
  format?: 'jsonl' | 'csv';

  @ApiPropertyOptional({
    enum: ['api', 'share'],
    default: 'api',
    example: 'share',
    description:
      '`api`: each `content_url` is the API link `/v1/videos/{id}/content`, which needs your key and never expires. `share`: a signed link `/v1/shared/{token}` that needs no key and expires after `link_expires_in` seconds.',
  })
  @IsOptional()
  @IsIn(['api', 'share'])
  links?: 'api' | 'share';

  @ApiPropertyOptional({
    minimum: 60,
    maximum: 7_776_000,
    default: 604_800,
    example: 86_400,
    description: 'Lifetime of share links, in seconds (at most 90 days).',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(7_776_000)
  link_expires_in?: number;
}
