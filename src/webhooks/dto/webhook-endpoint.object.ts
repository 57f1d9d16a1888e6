import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_FILTERS } from './webhook-endpoint.dto.js';

export class WebhookEndpointObject {
  @ApiProperty({ example: 'whe_01jd3v8m7k2q9x4r5s6t7v8w9x' }) id: string;
  @ApiProperty({ enum: ['webhook_endpoint'] }) object: 'webhook_endpoint';
  @ApiProperty({ description: 'The mode of the key that created it: it receives only events of this mode, and keys of the other mode get 404 for it.' })
  livemode: boolean;
  @ApiProperty() url: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String], enum: EVENT_FILTERS }) enabled_events: string[];
  @ApiProperty({ enum: ['enabled', 'disabled'] }) status: 'enabled' | 'disabled';
  @ApiProperty({ type: String, nullable: true, description: 'Why we disabled it (410 Gone, continuous failure); null when you did, or it is enabled.' })
  disabled_reason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabled_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Start of the current run of failed attempts.' }) failing_since: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Until when the previous secret also signs.' }) previous_secret_expires_at:
    | string
    | null;
  @ApiPropertyOptional({ description: 'The signing secret (`whsec_…`); returned only at creation and rotation.' }) secret?: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class WebhookEndpointList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [WebhookEndpointObject] }) data: WebhookEndpointObject[];
  @ApiProperty() has_more: boolean;
}

export class DeletedWebhookEndpoint {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['webhook_endpoint'] }) object: 'webhook_endpoint';
  @ApiProperty({ enum: [true] }) deleted: true;
}

export class WebhookSecretObject {
  @ApiProperty({ enum: ['webhook_secret'] }) object: 'webhook_secret';
  @ApiProperty({ description: 'Signs deliveries to per-request `webhook_url` targets.' }) secret: string;
}
