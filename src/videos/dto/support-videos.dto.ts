import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/pagination.js';
import { VIDEO_STATUSES } from './list-videos.query.js';

const MODES = ['live', 'test'] as const;

export class SupportVideosQuery extends ListQuery {
  @ApiPropertyOptional({ enum: VIDEO_STATUSES, description: 'Only videos in this status.' })
  @IsOptional()
  @IsIn(VIDEO_STATUSES)
  status?: (typeof VIDEO_STATUSES)[number];

  @ApiPropertyOptional({ description: 'Only failed videos with this error code (as in `error.code`).', example: 'generation_failed' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_]{1,64}$/)
  error_code?: string;

  @ApiPropertyOptional({ enum: MODES, default: 'live', description: "Which side of the tenant: its live videos, or its sandbox's." })
  @IsOptional()
  @IsIn(MODES)
  mode?: (typeof MODES)[number];
}

export class VideoFailuresQuery {
  @ApiPropertyOptional({ description: 'Count failures created at or after this time (default: 30 days ago).', example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @MaxLength(40)
  since?: string;

  @ApiPropertyOptional({ enum: MODES, default: 'live', description: "Which side of the tenant: its live videos, or its sandbox's." })
  @IsOptional()
  @IsIn(MODES)
  mode?: (typeof MODES)[number];
}

export class VideoFailureCount {
  @ApiProperty({ example: 'generation_failed', description: 'The error code the videos failed with (`unknown` when none was recorded).' }) code: string;
  @ApiProperty({ example: 3 }) count: number;
  @ApiProperty({ example: '2026-11-30T12:00:00.000Z', description: 'When the latest of them was created.' }) last_at: string;
  @ApiProperty({ nullable: true, type: String, description: "The latest one's message, as the customer saw it." }) last_message: string | null;
  @ApiProperty({ example: 'vid_01j…', description: 'The latest of them, to open.' }) last_video_id: string;
}

export class VideoFailureCounts {
  @ApiProperty({ enum: ['video_failure_counts'] }) object: 'video_failure_counts';
  @ApiProperty({ example: 'ten_01j…' }) tenant_id: string;
  @ApiProperty({ example: true }) livemode: boolean;
  @ApiProperty({ example: '2026-11-01T00:00:00.000Z' }) since: string;
  @ApiProperty({ example: 5, description: 'Failed videos since `since`.' }) failed: number;
  @ApiProperty({ example: 120, description: 'All videos created since `since`.' }) total: number;
  @ApiProperty({ type: [VideoFailureCount], description: 'By error code, most frequent first.' }) data: VideoFailureCount[];
}
