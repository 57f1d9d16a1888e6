import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { CreateVideoDto } from './create-video.dto.js';

export class EstimateCostObject {
  @ApiProperty({ description: 'Minor units of `currency`; 0 for test-mode keys. With `n`, all the variants together.' }) amount: number;
  @ApiProperty({ example: 'usd', description: 'Three-letter ISO 4217 code, lowercase.' }) currency: string;
  @ApiProperty({ description: "Seconds that would come from the plan's included seconds." }) included_seconds_used: number;
  @ApiProperty({ description: 'Seconds that would be billed as overage.' }) overage_seconds: number;
  @ApiProperty({ description: 'Overage price per second at this resolution, minor units.' }) unit_amount: number;
}

export class EstimateIncludedObject {
  @ApiProperty({ description: 'Included video-seconds of the plan this period.' }) included: number;
  @ApiProperty({ description: 'Included seconds left this period after this video (and the videos in flight).' }) remaining_after: number;
}

export class EstimateRefusalObject {
  @ApiProperty({ description: 'The HTTP status creating it now would answer with.' }) status: number;
  @ApiProperty({ example: 'spend_cap_reached', description: 'The problem `code` it would carry.' }) code: string;
  @ApiProperty({ description: 'Human-readable explanation.' }) message: string;
}

export class EstimateObject {
  @ApiProperty({ enum: ['video_estimate'], description: "String naming the object's type: always `video_estimate`." }) object: 'video_estimate';
  @ApiProperty({ description: "The calling key's mode; test-mode estimates cost nothing." }) livemode: boolean;
  @ApiProperty({ description: 'Seconds of each video (the length the model makes, rounded up to whole frames).' }) duration_seconds: number;
  @ApiProperty({
    example: 0,
    description: "Video-seconds each video's priced post-production steps (an upscale, an interpolation) add to the seconds billed; see GET /v1/pricing.",
  })
  post_production_seconds: number;
  @ApiProperty({ example: 1, description: 'How many variants (`n`); `cost` is theirs together.' }) n: number;
  @ApiProperty({ description: 'The resolution priced.' }) resolution: string;
  @ApiProperty({ type: EstimateCostObject, description: 'What the video (all the variants) would cost if created now.' }) cost: EstimateCostObject;
  @ApiProperty({ type: EstimateIncludedObject, description: "The plan's included seconds before and after this video." })
  included_seconds: EstimateIncludedObject;
  @ApiProperty({ type: EstimateRefusalObject, nullable: true, description: 'How creating it now would be refused, or null.' })
  refused: EstimateRefusalObject | null;
}

export class EstimateBatchDto {
  @ApiProperty({
    type: [CreateVideoDto],
    description: 'Video requests as for POST /v1/videos (no image needed); estimated in order, each after the ones before it.',
    maxItems: 1000,
    example: [
      { prompt: 'The camera slowly pushes in as steam rises from the coffee cup.', duration_seconds: 5, resolution: '480p' },
      { prompt: 'The mug turns slowly on a wooden table in morning light.', duration_seconds: 10, resolution: '720p', aspect_ratio: '1:1' },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => CreateVideoDto)
  videos: CreateVideoDto[];
}

class BatchEstimateTotal {
  @ApiProperty({ description: "Sum of the videos' costs, minor units of `currency`." }) amount: number;
  @ApiProperty({ description: 'Three-letter ISO 4217 code, lowercase.' }) currency: string;
  @ApiProperty({ description: "Sum of the videos' billed seconds." }) video_seconds: number;
  @ApiProperty({ description: "Of those, seconds from the plan's included seconds." }) included_seconds_used: number;
  @ApiProperty({ description: 'Of those, seconds billed as overage.' }) overage_seconds: number;
}

export class BatchEstimateObject {
  @ApiProperty({ enum: ['batch_estimate'], description: "String naming the object's type: always `batch_estimate`." }) object: 'batch_estimate';
  @ApiProperty({ type: [EstimateObject], description: 'One estimate per video sent, in the order sent.' }) data: EstimateObject[];
  @ApiProperty({ type: BatchEstimateTotal, description: 'The sums over `data`.' }) total: BatchEstimateTotal;
  @ApiProperty({ description: 'How many of the videos would be refused.' }) refused: number;
}
