import { ApiProperty } from '@nestjs/swagger';
import { ALL_TENANT_SCOPES } from '../../core/auth/principal.js';
import { LATEST_API_VERSION, VERSION_NAMES } from '../../platform/http/api-versions.js';

export class ApiKeyObject {
  @ApiProperty({ example: 'key_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'Unique identifier of the API key (`key_…`).' }) id: string;
  @ApiProperty({ enum: ['api_key'], description: "String naming the object's type: always `api_key`." }) object: 'api_key';
  @ApiProperty({ description: 'The tenant (account) the key belongs to (`ten_…`).' }) tenant_id: string;
  @ApiProperty({ description: 'Your label for the key, to tell keys apart in lists and the audit log.' }) name: string;
  @ApiProperty({
    enum: ['live', 'test'],
    description: '`live` keys make billed videos; `test` keys use the sandbox (see the test mode guide) and never see live objects.',
  })
  mode: string;
  @ApiProperty({ example: 'lk_live_Ab3x', description: 'The first characters of the secret, to tell keys apart.' }) secret_start: string;
  @ApiProperty({
    type: [String],
    enum: ALL_TENANT_SCOPES,
    description: 'What the key may do; an operation needing a scope the key lacks answers 403 `insufficient_scope`.',
  })
  scopes: string[];
  @ApiProperty({ type: Number, nullable: true, description: "Requests per minute for this key alone; null: the tenant's plan limit applies." })
  rate_limit_per_minute: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "Video-seconds this key may use per calendar month (UTC); null: no per-key cap, only the tenant's.",
  })
  monthly_video_seconds: number | null;
  @ApiProperty({
    enum: VERSION_NAMES,
    example: LATEST_API_VERSION,
    description: 'The dated API version this key is answered in unless a request sends `Leoma-Version`; pinned at creation, kept by a roll.',
  })
  api_version: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The key stops working then; null: it does not expire.' }) expires_at:
    | string
    | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the key was revoked (or replaced by a roll); null while it works.' })
  revoked_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Updated within a minute or so, not on every request.' }) last_used_at:
    | string
    | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'usr_01jd3v8m7k2q9x4r5s6t7v8w9x',
    description: 'The user who created the key in a signed-in session; null when a key or an operator made it.',
  })
  created_by: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the API key was created (ISO 8601, UTC).' }) created_at: string;
}

export class ApiKeyWithSecret extends ApiKeyObject {
  @ApiProperty({ type: String, nullable: true, description: 'The whole key, shown only in this response (null in an idempotent replay).' }) secret:
    | string
    | null;
}

export class ApiKeyList {
  @ApiProperty({ enum: ['list'], description: 'Always `list`.' }) object: 'list';
  @ApiProperty({ type: [ApiKeyObject], description: 'This page of API keys, newest first.' }) data: ApiKeyObject[];
  @ApiProperty({ description: "Whether more items follow this page: pass the last item's `id` as `starting_after` to get them." }) has_more: boolean;
}
