import { ApiProperty } from '@nestjs/swagger';
import { ALL_TENANT_SCOPES } from '../../core/auth/principal.js';
import { LATEST_API_VERSION, VERSION_NAMES } from '../../platform/http/api-versions.js';

export class ApiKeyObject {
  @ApiProperty({ example: 'key_01jd3v8m7k2q9x4r5s6t7v8w9x' }) id: string;
  @ApiProperty({ enum: ['api_key'] }) object: 'api_key';
  @ApiProperty() tenant_id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['live', 'test'] }) mode: string;
  @ApiProperty({ example: 'lk_live_Ab3x', description: 'The first characters of the secret, to tell keys apart.' }) secret_start: string;
  @ApiProperty({ type: [String], enum: ALL_TENANT_SCOPES }) scopes: string[];
  @ApiProperty({ type: Number, nullable: true }) rate_limit_per_minute: number | null;
  @ApiProperty({ type: Number, nullable: true }) monthly_video_seconds: number | null;
  @ApiProperty({
    enum: VERSION_NAMES,
    example: LATEST_API_VERSION,
    description: 'The dated API version this key is answered in unless a request sends `Leoma-Version`; pinned at creation, kept by a roll.',
  })
  api_version: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expires_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revoked_at: string | null;
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
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class ApiKeyWithSecret extends ApiKeyObject {
  @ApiProperty({ type: String, nullable: true, description: 'The whole key, shown only in this response (null in an idempotent replay).' }) secret:
    | string
    | null;
}

export class ApiKeyList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [ApiKeyObject] }) data: ApiKeyObject[];
  @ApiProperty() has_more: boolean;
}
