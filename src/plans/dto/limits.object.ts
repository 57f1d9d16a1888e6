import { ApiProperty } from '@nestjs/swagger';
import { RESOLUTIONS } from '../../core/video-format.js';

export class LimitsObject {
  @ApiProperty({ description: 'Video-seconds included per calendar month (UTC).' }) included_video_seconds: number;
  @ApiProperty({ description: 'Whether usage beyond the included seconds is billed (true) or refused (false).' }) overage_allowed: boolean;
  @ApiProperty({ description: 'API requests allowed per minute; over it: 429 `rate_limited` with `Retry-After`.' }) requests_per_minute: number;
  @ApiProperty({ description: 'Videos queued or running at once.' }) concurrent_videos: number;
  @ApiProperty({ description: 'Longest video that may be asked for, in seconds.' }) max_duration_seconds: number;
  @ApiProperty({ enum: RESOLUTIONS, description: 'Highest `resolution` that may be asked for.' }) max_resolution: string;
  @ApiProperty({ description: 'Most items one batch (or batch estimate) may hold.' }) max_batch_size: number;
  @ApiProperty({ description: 'Days inputs and outputs are kept after a video is created; then they are deleted and `output` becomes null.' })
  retention_days: number;
  @ApiProperty({ description: 'Lower runs first.' }) queue_priority: number;
  @ApiProperty({ description: 'Files uploaded in any 24 hours.' }) uploads_per_day: number;
  @ApiProperty({ description: 'Files uploaded per calendar month (UTC).' }) uploads_per_month: number;
  @ApiProperty({ description: 'The longest a video over the concurrency limit waits for a slot (its default `start_by`); then it ends `expired`, uncharged.' })
  max_queue_seconds: number;
  @ApiProperty({ description: 'Videos waiting for a slot at once; one more is refused with 429 `queue_full`.' }) max_queued_videos: number;
  @ApiProperty({ description: "A batch's default `complete_by`, in seconds after it is created." }) batch_complete_seconds: number;
}

export class PlanObject {
  @ApiProperty({ enum: ['plan'] }) object: 'plan';
  @ApiProperty({ example: 'pro' }) code: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Whether customers may buy it themselves through Checkout; the account team sells the others.' }) self_serve: boolean;
  @ApiProperty({ type: LimitsObject }) limits: LimitsObject;
}

export class PlanList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [PlanObject] }) data: PlanObject[];
  @ApiProperty() has_more: boolean;
}
