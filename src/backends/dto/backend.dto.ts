import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { BACKEND_PROTOCOLS } from '../gpu-backend.entity.js';

export class CreateBackendDto {
  @ApiProperty({ maxLength: 200, example: 'gpu-eu-1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'https://gpu-eu-1.internal:5000', description: 'Base URL; http or https, without `user:pass@` (use `auth_header`).' })
  // Credentials in a URL would be returned by this API and end up in fetch's error text in logs.
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false, disallow_auth: true })
  @MaxLength(2000)
  url: string;

  @ApiPropertyOptional({
    enum: BACKEND_PROTOCOLS,
    default: 'cog',
    example: 'cog',
    description: '`cog`: Cog HTTP predictions; `generate`: POST /generate returning MP4 bytes.',
  })
  @IsOptional()
  @IsIn(BACKEND_PROTOCOLS)
  protocol?: (typeof BACKEND_PROTOCOLS)[number];

  @ApiProperty({ example: 'leoma/reference-i2v', description: 'Model reference it serves, as the miner ranking names it.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  model: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'hf:3b8f2a6d1c9e7f405a2b6c8d9e0f1a2b3c4d5e6f',
    description: 'Revision or digest it serves; null serves any ranked revision.',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  model_revision?: string | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 1024, default: 1, example: 4 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1024)
  max_concurrency?: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    writeOnly: true,
    example: 'Bearer gpu-secret-token',
    description: 'Sent as the `Authorization` header; never returned.',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  auth_header?: string | null;

  @ApiPropertyOptional({ default: true, example: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateBackendDto extends PartialType(CreateBackendDto) {}

export class BackendLoadedModel {
  @ApiProperty({ example: 'leoma/wan22-king' }) repo: string;
  @ApiProperty({ example: 'sha256:79e4cc89edd935e8ea843ae2bd80fb85d3444128bb946990109a33ffafb2184e' }) digest: string;
}

export class BackendLoadProgress {
  @ApiProperty({ example: 'fetching', description: '`fetching`, `loading`, `warming`, `ready` or `failed`.' }) phase: string;
  @ApiProperty({ example: 52428800 }) bytes_done: number;
  @ApiProperty({ type: Number, nullable: true, example: 135291469824 }) bytes_total: number | null;
  @ApiProperty({ type: String, nullable: true }) detail: string | null;
}

export class BackendObject {
  @ApiProperty({ example: 'gpb_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'Config backends keep the id they were configured with.' }) id: string;
  @ApiProperty({ enum: ['backend'] }) object: 'backend';
  @ApiProperty({ enum: ['api', 'config'], description: 'Config backends are read-only here.' }) source: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty() url: string;
  @ApiProperty({ enum: BACKEND_PROTOCOLS }) protocol: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "Model (repository) it is registered for; null: a config backend named none and is sent every ranked model's jobs.",
  })
  model: string | null;
  @ApiProperty({ type: String, nullable: true }) model_revision: string | null;
  @ApiProperty() max_concurrency: number;
  @ApiProperty() auth_header_set: boolean;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ description: 'Calls holding a slot right now, across all workers.' }) in_flight: number;
  @ApiProperty({ enum: ['closed', 'open', 'half_open'] }) circuit: string;
  @ApiProperty({
    enum: ['ready', 'busy', 'starting', 'down', 'unknown'],
    description: '`starting`: fetching, loading or warming its model (see `progress`); it gets no work until ready.',
  })
  health: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) health_checked_at: string | null;
  @ApiProperty({
    type: BackendLoadedModel,
    nullable: true,
    description: 'The model its last health answer says it has loaded; null when it reports none (or does not say, or has not been checked).',
  })
  loaded_model: BackendLoadedModel | null;
  @ApiProperty({ type: String, nullable: true, example: 'wan2.2', description: 'Its renderer (`test-card`, `wan2.2`), from its last health answer.' }) renderer:
    | string
    | null;
  @ApiProperty({ type: BackendLoadProgress, nullable: true, description: 'Download and load progress while it starts, from its last health answer.' })
  progress: BackendLoadProgress | null;
  @ApiProperty({ description: 'Registered for a digest but reporting another model loaded (or none): it gets no work until they agree.' })
  model_mismatch: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) created_at: string | null;
}

export class BackendList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [BackendObject] }) data: BackendObject[];
  @ApiProperty() has_more: boolean;
}
