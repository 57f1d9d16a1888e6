import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';

export const GROUP_BY = ['day', 'api_key', 'resolution'] as const;

export class UsageQuery {
  @ApiPropertyOptional({ description: 'Calendar month (UTC), YYYY-MM; the current one when absent.', example: '2026-11' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be YYYY-MM' })
  period?: string;

  @ApiPropertyOptional({ enum: GROUP_BY, description: 'Adds `groups`: totals per UTC day, per API key or per resolution.' })
  @IsOptional()
  @IsIn(GROUP_BY)
  group_by?: (typeof GROUP_BY)[number];
}

export class UsageExportQuery {
  @ApiPropertyOptional({
    enum: ['csv', 'jsonl'],
    default: 'csv',
    description: '`csv` (a header row, then one row per usage record) or `jsonl` (one JSON object per line).',
  })
  @IsOptional()
  @IsIn(['csv', 'jsonl'])
  format?: 'csv' | 'jsonl';

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive; the start of the current month when absent.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive; now when absent.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class AdminUsageExportQuery extends UsageExportQuery {
  @ApiPropertyOptional({ description: 'One tenant; every tenant when absent.' })
  @IsOptional()
  @Matches(/^ten_[0-9a-z]{26}$/, { message: 'tenant_id must be a tenant id' })
  tenant_id?: string;
}
