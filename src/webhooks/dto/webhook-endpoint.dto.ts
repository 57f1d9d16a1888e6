import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  Max,
  IsNotEmpty,
} from 'class-validator';
import { EVENT_TYPES } from '../../platform/outbox/event.entity.js';

export const EVENT_FILTERS = ['*', ...EVENT_TYPES] as const;

export class CreateWebhookEndpointDto {
  @ApiProperty({ maxLength: 2048, example: 'https://example.com/hooks/leoma', description: 'An https URL on the public Internet.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  url: string;

  @ApiPropertyOptional({
    type: [String],
    enum: EVENT_FILTERS,
    default: ['*'],
    example: ['video.succeeded', 'video.failed', 'batch.completed'],
    description: 'Event types to send here; `*` is every type.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_FILTERS.length)
  @ArrayUnique()
  @IsIn(EVENT_FILTERS, { each: true })
  enabled_events?: string[];

  @ApiPropertyOptional({
    maxLength: 500,
    example: 'Production: video results to the order service',
    description: 'Your note about the endpoint (up to 500 characters).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class UpdateWebhookEndpointDto extends CreateWebhookEndpointDto {
  @ApiPropertyOptional({ maxLength: 2048, example: 'https://example.com/hooks/leoma' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  declare url: string;

  @ApiPropertyOptional({ example: true, description: 'false pauses deliveries; true re-enables an endpoint we disabled and clears the reason.' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class RotateSecretDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 604800,
    default: 86400,
    example: 3600,
    description: 'How long the old secret keeps signing alongside the new one.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(604800)
  overlap_seconds?: number;
}
