import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_DURATION_SECONDS, RESOLUTIONS, type Resolution } from '../../core/video-format.js';

/** Contract terms; each field given replaces the plan's value. */
export class LimitOverridesDto {
  @ApiPropertyOptional({ minimum: 0, example: 250_000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  included_video_seconds?: number;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  overage_allowed?: boolean;

  @ApiPropertyOptional({ minimum: 1, example: 12_000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  requests_per_minute?: number;

  @ApiPropertyOptional({ minimum: 1, example: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  concurrent_videos?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_DURATION_SECONDS, example: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_DURATION_SECONDS)
  max_duration_seconds?: number;

  @ApiPropertyOptional({ enum: RESOLUTIONS, example: '720p' })
  @IsOptional()
  @IsIn(RESOLUTIONS)
  max_resolution?: Resolution;

  @ApiPropertyOptional({ minimum: 1, example: 20_000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  max_batch_size?: number;

  @ApiPropertyOptional({ minimum: 1, example: 730 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  retention_days?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, example: 1, description: 'Lower runs first.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  queue_priority?: number;

  @ApiPropertyOptional({ minimum: 1, example: 100_000, description: 'Files uploaded in any 24 hours.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  uploads_per_day?: number;

  @ApiPropertyOptional({ minimum: 1, example: 1_000_000, description: 'Files uploaded per calendar month (UTC).' })
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
