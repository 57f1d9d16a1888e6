import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/pagination.js';
import { EVENT_TYPES } from '../../platform/outbox/event.entity.js';
import { exampleId } from '../../platform/openapi/examples.js';

export class EventDataObject {
  @ApiProperty({ example: 'vid_01jd3v8m7k2q9x4r5s6t7v8w9x' }) id: string;
  @ApiProperty({ example: 'video' }) object: string;
  @ApiProperty({ example: 'succeeded' }) status: string;
  @ApiProperty({ description: 'The API resource to fetch for details (and fresh download URLs).' }) url: string;
  @ApiPropertyOptional({ type: 'object', properties: { code: { type: 'string' } } }) error?: { code: string };
}

export class EventObject {
  @ApiProperty({ example: 'evt_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'Also the `webhook-id` of every delivery of this event.' }) id: string;
  @ApiProperty({ enum: ['event'] }) object: 'event';
  @ApiProperty({ enum: EVENT_TYPES }) type: string;
  @ApiProperty() livemode: boolean;
  @ApiProperty({ type: EventDataObject }) data: EventDataObject;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class EventList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [EventObject] }) data: EventObject[];
  @ApiProperty() has_more: boolean;
}

export class ListEventsQuery extends ListQuery {
  @ApiPropertyOptional({ enum: EVENT_TYPES })
  @IsOptional()
  @IsIn(EVENT_TYPES)
  type?: string;

  @ApiPropertyOptional({ description: 'Only events about this object, e.g. a `vid_` id.', example: exampleId('video') })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  object_id?: string;
}
