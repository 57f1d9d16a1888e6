import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export const STRIPE_EVENT_STATUSES = ['pending', 'failing', 'applied', 'ignored', 'unmatched'] as const;
export type StripeEventStatus = (typeof STRIPE_EVENT_STATUSES)[number];

export class StripeEventListQuery {
  @ApiPropertyOptional({
    enum: STRIPE_EVENT_STATUSES,
    description:
      'pending: not yet tried; failing: tried and will be retried; applied, ignored (a type we do not handle) and unmatched (no tenant owns the customer or subscription) are final.',
  })
  @IsOptional()
  @IsIn(STRIPE_EVENT_STATUSES)
  status?: StripeEventStatus;

  @ApiPropertyOptional({ example: 'invoice.paid' })
  @IsOptional()
  @Matches(/^[a-z_.]{1,100}$/, { message: 'type must be a Stripe event type' })
  type?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'An event id (evt_…) from the previous page: returns events received before it.' })
  @IsOptional()
  @Matches(/^evt_[A-Za-z0-9]{1,250}$/, { message: 'starting_after must be a Stripe event id' })
  starting_after?: string;
}

export class StripeEventObject {
  @ApiProperty({ example: 'evt_1Q…' }) id: string;
  @ApiProperty({ enum: ['stripe_event'] }) object: 'stripe_event';
  @ApiProperty({ example: 'invoice.paid' }) type: string;
  @ApiProperty({ type: String, nullable: true, description: 'The Stripe object the event is about.' }) object_id: string | null;
  @ApiProperty() livemode: boolean;
  @ApiProperty({ enum: STRIPE_EVENT_STATUSES }) status: StripeEventStatus;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was ignored or unmatched.' }) reason: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true }) last_error: string | null;
  @ApiProperty({ format: 'date-time' }) received_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) processed_at: string | null;
}

export class StripeEventList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [StripeEventObject] }) data: StripeEventObject[];
  @ApiProperty() has_more: boolean;
}
