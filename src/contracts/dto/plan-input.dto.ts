import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { MAX_DURATION_SECONDS, RESOLUTIONS, type Resolution } from '../../core/video-format.js';

/** Minor units per video-second over the included seconds; a resolution left out costs what 480p does. */
export class RatesDto {
  @ApiProperty({ example: 1, minimum: 0 })
  @IsInt()
  @Min(0)
  '480p': number;

  @ApiPropertyOptional({ example: 2, minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  '720p'?: number;
}

export class PlanLimitsDto {
  @ApiProperty({ minimum: 0, example: 100_000 }) @IsInt() @Min(0) @Max(1_000_000_000) included_video_seconds: number;
  @ApiProperty({ example: true }) @IsBoolean() overage_allowed: boolean;
  @ApiProperty({ minimum: 1, example: 6000 }) @IsInt() @Min(1) @Max(1_000_000) requests_per_minute: number;
  @ApiProperty({ minimum: 1, example: 50 }) @IsInt() @Min(1) @Max(100_000) concurrent_videos: number;
  @ApiProperty({ minimum: 1, maximum: MAX_DURATION_SECONDS, example: 30 }) @IsInt() @Min(1) @Max(MAX_DURATION_SECONDS) max_duration_seconds: number;
  @ApiProperty({ enum: RESOLUTIONS, example: '720p' }) @IsIn(RESOLUTIONS) max_resolution: Resolution;
  @ApiProperty({ minimum: 1, example: 10_000 }) @IsInt() @Min(1) @Max(1_000_000) max_batch_size: number;
  @ApiProperty({ minimum: 1, example: 365 }) @IsInt() @Min(1) @Max(3650) retention_days: number;
  @ApiProperty({ minimum: 1, maximum: 100, example: 5, description: 'Lower runs first.' }) @IsInt() @Min(1) @Max(100) queue_priority: number;
  @ApiPropertyOptional({ minimum: 1, example: 100_000, description: 'Files uploaded in any 24 hours (default 1,000).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  uploads_per_day?: number;
  @ApiPropertyOptional({ minimum: 1, example: 1_000_000, description: 'Files uploaded per calendar month, UTC (default 20,000).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  uploads_per_month?: number;
  @ApiPropertyOptional({
    minimum: 1,
    example: 3_600,
    description: 'The longest a video over the concurrency limit waits for a slot, in seconds (default 3,600).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30 * 86_400)
  max_queue_seconds?: number;
  @ApiPropertyOptional({ minimum: 1, example: 1_000, description: 'Videos waiting for a slot at once (default 1,000).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  max_queued_videos?: number;
  @ApiPropertyOptional({ minimum: 60, example: 604_800, description: "A batch's default complete_by, in seconds after it is created (default 7 days)." })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(90 * 86_400)
  batch_complete_seconds?: number;
}

export class PlanPriceDto {
  @ApiProperty({ example: 'usd', description: 'ISO 4217, lower case; a plan keeps one currency.' })
  @Matches(/^[a-z]{3}$/)
  currency: string;

  @ApiProperty({ minimum: 0, example: 9900, description: 'Monthly base price, minor units.' })
  @IsInt()
  @Min(0)
  base_amount: number;

  @ApiProperty({ type: RatesDto })
  @ValidateNested()
  @Type(() => RatesDto)
  overage_per_second: RatesDto;
}

export class PublishPlanPriceDto extends PlanPriceDto {
  @ApiPropertyOptional({
    format: 'date-time',
    example: '2027-01-01T00:00:00Z',
    description: 'When the price starts (default: the next period boundary, 00:00 UTC on the 1st). Never in the past.',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  effective_from?: string;
}

export class CreatePlanDto {
  @ApiProperty({ example: 'scale', pattern: '^[a-z][a-z0-9_]{1,49}$' })
  @Matches(/^[a-z][a-z0-9_]{1,49}$/)
  code: string;

  @ApiProperty({ example: 'Scale' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ default: false, example: true })
  @IsOptional()
  @IsBoolean()
  self_serve?: boolean;

  @ApiProperty({ type: PlanLimitsDto })
  @ValidateNested()
  @Type(() => PlanLimitsDto)
  limits: PlanLimitsDto;

  @ApiPropertyOptional({ type: PlanPriceDto, description: 'Its first price, in force at once; without one the plan is free until a price is published.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlanPriceDto)
  price?: PlanPriceDto;
}

class PartialPlanLimitsDto extends PartialType(PlanLimitsDto) {}

export class UpdatePlanDto {
  @ApiPropertyOptional({ example: 'Scale (2027)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  self_serve?: boolean;

  @ApiPropertyOptional({ type: PartialPlanLimitsDto, description: 'Limits change at once for every tenant on the plan (prices change through versions).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PartialPlanLimitsDto)
  limits?: PartialPlanLimitsDto;
}
