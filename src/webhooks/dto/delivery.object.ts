import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';

export class DeliveryAttemptObject {
  @ApiProperty({ description: '1-based attempt number.' }) attempt: number;
  @ApiProperty({ format: 'date-time', description: 'When the attempt was made.' }) at: string;
  @ApiProperty({ type: Number, nullable: true, description: 'HTTP status of the response; null when none came.' }) status_code: number | null;
  @ApiProperty({ description: 'Time until your endpoint answered (or the attempt gave up), milliseconds.' }) latency_ms: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why it failed (status or network error); null when it succeeded.' }) error: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt was scheduled; null after the last.' }) next_retry_at:
    | string
    | null;
}

export class DeliveryObject {
  @ApiProperty({ example: 'dlv_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'Unique identifier of the delivery (`dlv_…`).' }) id: string;
  @ApiProperty({ enum: ['webhook_delivery'], description: "String naming the object's type: always `webhook_delivery`." }) object: 'webhook_delivery';
  @ApiProperty({ description: 'The event delivered (`evt_…`).' }) event_id: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null for a per-request `webhook_url`.' }) endpoint_id: string | null;
  @ApiProperty({ description: 'The URL it was sent to.' }) url: string;
  @ApiProperty({
    enum: ['pending', 'succeeded', 'failed'],
    description: '`pending` while attempts remain, `succeeded` once a 2xx came back, `failed` after the last attempt failed.',
  })
  status: string;
  @ApiProperty({ description: 'Attempts made so far.' }) attempts: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt is due; null when none is.' }) next_attempt_at:
    | string
    | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed; null when it did not.' }) last_error: string | null;
  @ApiProperty({ type: [DeliveryAttemptObject], description: 'Every attempt, oldest first.' }) attempt_log: DeliveryAttemptObject[];
  @ApiProperty({ format: 'date-time', description: 'When the delivery was created (ISO 8601, UTC).' }) created_at: string;
}

export class DeliveryList {
  @ApiProperty({ enum: ['list'], description: 'Always `list`.' }) object: 'list';
  @ApiProperty({ type: [DeliveryObject], description: 'This page of deliverys, newest first.' }) data: DeliveryObject[];
  @ApiProperty({ description: "Whether more items follow this page: pass the last item's `id` as `starting_after` to get them." }) has_more: boolean;
}

export class RecoverQuery {
  @ApiProperty({ format: 'date-time', description: 'Failed deliveries created at or after this time are sent again.' })
  @IsISO8601({ strict: true })
  since: string;
}

export class RecoveryObject {
  @ApiProperty({ enum: ['webhook_recovery'], description: "String naming the object's type: always `webhook_recovery`." }) object: 'webhook_recovery';
  @ApiProperty({ description: 'The endpoint whose failed deliveries are being sent again.' }) endpoint_id: string;
  @ApiProperty({ format: 'date-time', description: 'Failed deliveries of events created from this time on are resent.' }) since: string;
  @ApiProperty({ description: 'How many failed deliveries were scheduled again.' }) deliveries: number;
}
