import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';

export class DeliveryAttemptObject {
  @ApiProperty() attempt: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: Number, nullable: true, description: 'HTTP status of the response; null when none came.' }) status_code: number | null;
  @ApiProperty() latency_ms: number;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) next_retry_at: string | null;
}

export class DeliveryObject {
  @ApiProperty({ example: 'dlv_01jd3v8m7k2q9x4r5s6t7v8w9x' }) id: string;
  @ApiProperty({ enum: ['webhook_delivery'] }) object: 'webhook_delivery';
  @ApiProperty() event_id: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null for a per-request `webhook_url`.' }) endpoint_id: string | null;
  @ApiProperty() url: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) next_attempt_at: string | null;
  @ApiProperty({ type: String, nullable: true }) last_error: string | null;
  @ApiProperty({ type: [DeliveryAttemptObject] }) attempt_log: DeliveryAttemptObject[];
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class DeliveryList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [DeliveryObject] }) data: DeliveryObject[];
  @ApiProperty() has_more: boolean;
}

export class RecoverQuery {
  @ApiProperty({ format: 'date-time', description: 'Failed deliveries created at or after this time are sent again.' })
  @IsISO8601({ strict: true })
  since: string;
}

export class RecoveryObject {
  @ApiProperty({ enum: ['webhook_recovery'] }) object: 'webhook_recovery';
  @ApiProperty() endpoint_id: string;
  @ApiProperty({ format: 'date-time' }) since: string;
  @ApiProperty({ description: 'How many failed deliveries were scheduled again.' }) deliveries: number;
}
