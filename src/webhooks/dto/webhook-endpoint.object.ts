import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_FILTERS } from './webhook-endpoint.dto.js';

export class WebhookEndpointObject {
  @ApiProperty({ example: 'whe_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'Unique identifier of the webhook endpoint (`whe_…`).' }) id: string;
  @ApiProperty({ enum: ['webhook_endpoint'], description: "String naming the object's type: always `webhook_endpoint`." }) object: 'webhook_endpoint';
  @ApiProperty({ description: 'The mode of the key that created it: it receives only events of this mode, and keys of the other mode get 404 for it.' })
  livemode: boolean;
  @ApiProperty({ description: 'HTTPS URL events are POSTed to.' }) url: string;
  @ApiProperty({ description: 'Your note about the endpoint.' }) description: string;
  @ApiProperty({ type: [String], enum: EVENT_FILTERS, description: 'Event types sent to it; `*`: all of them.' }) enabled_events: string[];
  @ApiProperty({
    enum: ['enabled', 'disabled'],
    description: '`enabled`: receives events; `disabled`: by you, or by us after a 410 Gone or continuous failure (see `disabled_reason`).',
  })
  status: 'enabled' | 'disabled';
  @ApiProperty({ type: String, nullable: true, description: 'Why we disabled it (410 Gone, continuous failure); null when you did, or it is enabled.' })
  disabled_reason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was disabled; null while enabled.' }) disabled_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Start of the current run of failed attempts.' }) failing_since: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Until when the previous secret also signs.' }) previous_secret_expires_at:
    | string
    | null;
  @ApiPropertyOptional({ description: 'The signing secret (`whsec_…`); returned only at creation and rotation.' }) secret?: string;
  @ApiProperty({ format: 'date-time', description: 'When the webhook endpoint was created (ISO 8601, UTC).' }) created_at: string;
}

export class WebhookEndpointList {
  @ApiProperty({ enum: ['list'], description: 'Always `list`.' }) object: 'list';
  @ApiProperty({ type: [WebhookEndpointObject], description: 'This page of webhook endpoints, newest first.' }) data: WebhookEndpointObject[];
  @ApiProperty({ description: "Whether more items follow this page: pass the last item's `id` as `starting_after` to get them." }) has_more: boolean;
}

export class DeletedWebhookEndpoint {
  @ApiProperty({ description: "The deleted endpoint's id." }) id: string;
  @ApiProperty({ enum: ['webhook_endpoint'], description: "String naming the object's type: always `webhook_endpoint`." }) object: 'webhook_endpoint';
  @ApiProperty({ enum: [true], description: 'Always `true`.' }) deleted: true;
}

export class WebhookSecretObject {
  @ApiProperty({ enum: ['webhook_secret'], description: "String naming the object's type: always `webhook_secret`." }) object: 'webhook_secret';
  @ApiProperty({ description: 'Signs deliveries to per-request `webhook_url` targets.' }) secret: string;
}
