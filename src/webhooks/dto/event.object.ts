import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/pagination.js';
import { EVENT_TYPES } from '../../platform/outbox/event.entity.js';
import { exampleId } from '../../platform/openapi/examples.js';

export class EventDataObject {
  @ApiProperty({ example: 'vid_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'The id of the object the event is about.' }) id: string;
  @ApiProperty({ example: 'video', description: "String naming the object's type: always `video`." }) object: string;
  @ApiProperty({ example: 'succeeded', description: "The object's status when the event happened." }) status: string;
  @ApiProperty({ description: 'The API resource to fetch for details (and fresh download URLs).' }) url: string;
  @ApiPropertyOptional({
    type: 'object',
    properties: { code: { type: 'string', description: 'The `error.code` of the failed video.' } },
    description: "The video's error for `video.failed`; absent otherwise.",
  })
  error?: { code: string };
}

export class EventObject {
  @ApiProperty({ example: 'evt_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'Also the `webhook-id` of every delivery of this event.' }) id: string;
  @ApiProperty({ enum: ['event'], description: "String naming the object's type: always `event`." }) object: 'event';
  @ApiProperty({ enum: EVENT_TYPES, description: 'What happened, `<object>.<change>`.' }) type: string;
  @ApiProperty({ description: 'Mode of the object it is about; live endpoints get live events only.' }) livemode: boolean;
  @ApiProperty({ type: EventDataObject, description: 'A snapshot of the object; fetch `data.url` for the full, current object.' }) data: EventDataObject;
  @ApiProperty({ format: 'date-time', description: 'When the event was created (ISO 8601, UTC).' }) created_at: string;
}

export class EventList {
  @ApiProperty({ enum: ['list'], description: 'Always `list`.' }) object: 'list';
  @ApiProperty({ type: [EventObject], description: 'This page of events, newest first.' }) data: EventObject[];
  @ApiProperty({ description: "Whether more items follow this page: pass the last item's `id` as `starting_after` to get them." }) has_more: boolean;
}

export class ListEventsQuery extends ListQuery {
  @ApiPropertyOptional({ enum: EVENT_TYPES, description: 'Only events of this type.' })
  @IsOptional()
  @IsIn(EVENT_TYPES)
  type?: string;

  @ApiPropertyOptional({ description: 'Only events about this object, e.g. a `vid_` id.', example: exampleId('video') })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  object_id?: string;
}
