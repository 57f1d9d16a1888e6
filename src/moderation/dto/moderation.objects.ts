import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/pagination.js';

export class ModerationEventObject {
  @ApiProperty({ example: 'mod_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'Unique identifier of the moderation event (`mod_…`).' }) id: string;
  @ApiProperty({ enum: ['moderation_event'], description: "String naming the object's type: always `moderation_event`." }) object: 'moderation_event';
  @ApiProperty({ example: 'sexual_minors', description: 'Which part of the content policy refused it.' }) category: string;
  @ApiProperty({
    enum: ['blocklist', 'tenant_blocklist', 'provider'],
    description: "What refused it: our blocklist, your tenant's own blocklist, or the moderation provider.",
  })
  source: string;
  @ApiProperty({ description: 'The refused prompt.' }) prompt: string;
  @ApiProperty({ type: String, nullable: true, description: '`Request-Id` of the refused request; null when it was a batch row.' }) request_id: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the moderation event was created (ISO 8601, UTC).' }) created_at: string;
}

export class ModerationEventList {
  @ApiProperty({ enum: ['list'], description: 'Always `list`.' }) object: 'list';
  @ApiProperty({ type: [ModerationEventObject], description: 'This page of moderation events, newest first.' }) data: ModerationEventObject[];
  @ApiProperty({ description: "Whether more items follow this page: pass the last item's `id` as `starting_after` to get them." }) has_more: boolean;
}

export class AdminModerationEventObject extends ModerationEventObject {
  @ApiProperty() tenant_id: string;
  @ApiProperty({ type: String, nullable: true }) api_key_id: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The blocklist term or pattern that matched; null for the provider.' }) rule: string | null;
}

export class AdminModerationEventList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [AdminModerationEventObject] }) data: AdminModerationEventObject[];
  @ApiProperty() has_more: boolean;
}

export class ModerationSettingsObject {
  @ApiProperty({ enum: ['moderation_settings'] }) object: 'moderation_settings';
  @ApiProperty() tenant_id: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: 'Category → terms and `re:` patterns, checked after the platform blocklist.',
  })
  blocklist: Record<string, string[]>;
  @ApiProperty({ type: Boolean, nullable: true, description: 'Whether the external provider checks this tenant; null follows the platform.' }) provider_enabled:
    | boolean
    | null;
  @ApiProperty({
    type: String,
    enum: ['open', 'closed'],
    nullable: true,
    description: 'What happens when the provider fails; null follows MODERATION_FAIL_MODE.',
  })
  fail_mode: 'open' | 'closed' | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updated_at: string | null;
}

export class PutModerationSettingsDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { competitors: ['rivalbrand', 're:\\brival ?brand\\b'] },
    description: 'Category (lower-case identifier) → up to 500 terms or `re:` patterns of at most 200 characters.',
  })
  @IsOptional()
  @IsObject()
  blocklist?: Record<string, unknown>;

  @ApiPropertyOptional({ type: Boolean, nullable: true, example: true })
  @IsOptional()
  @IsBoolean()
  provider_enabled?: boolean | null;

  @ApiPropertyOptional({ type: String, enum: ['open', 'closed'], nullable: true, example: 'closed' })
  @IsOptional()
  @IsIn(['open', 'closed'])
  fail_mode?: 'open' | 'closed' | null;
}

export class AdminModerationEventsQuery extends ListQuery {
  @ApiPropertyOptional({ description: "Only this tenant's refusals." })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tenant_id?: string;
}
