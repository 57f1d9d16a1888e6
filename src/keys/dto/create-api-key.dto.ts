import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDate, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinDate } from 'class-validator';
import { ALL_TENANT_SCOPES } from '../../core/auth/principal.js';
import { LATEST_API_VERSION, VERSION_NAMES } from '../../platform/http/api-versions.js';

export class CreateApiKeyDto {
  @ApiPropertyOptional({ enum: ['live', 'test'], default: 'live', example: 'live', description: '`live` or `test`; a test key works only in the sandbox.' })
  @IsOptional()
  @IsIn(['live', 'test'])
  mode?: 'live' | 'test';

  @ApiPropertyOptional({
    maxLength: 100,
    example: 'storefront-backend',
    description: 'Your label for the key (up to 100 characters), shown in lists and the audit log.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({
    type: [String],
    enum: ALL_TENANT_SCOPES,
    example: ['videos:read', 'videos:write', 'files:write'],
    description: 'Defaults to every scope (for a tenant caller: every scope its own key has).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsIn(ALL_TENANT_SCOPES, { each: true })
  scopes?: string[];

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2027-12-31T23:59:59Z',
    description: 'The key stops working then; must be in the future.',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @MinDate(() => new Date(), { message: 'expires_at must be in the future' })
  expires_at?: Date;

  @ApiPropertyOptional({ minimum: 1, maximum: 1_000_000, example: 120, description: "Requests per minute for this key, inside the tenant's own rate." })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  rate_limit_per_minute?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100_000_000, example: 600, description: 'Video-seconds this key may use per month, inside the tenant quota.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  monthly_video_seconds?: number;

  @ApiPropertyOptional({ enum: VERSION_NAMES, example: LATEST_API_VERSION, description: 'The dated API version to pin the key to; the newest when not given.' })
  @IsOptional()
  @IsIn(VERSION_NAMES)
  api_version?: string;
}

export class RollApiKeyDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 604_800, default: 0, example: 3600, description: 'Seconds the old secret keeps working; 0 stops it at once.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(604_800)
  grace_seconds?: number;
}
