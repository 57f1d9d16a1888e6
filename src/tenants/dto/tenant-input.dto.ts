import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsStringMap } from '../../platform/http/string-map.validator.js';
import { LimitOverridesDto } from './limit-overrides.dto.js';

export class CreateTenantDto {
  @ApiProperty({ maxLength: 200, example: 'Acme Studio' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'enterprise', default: 'free', description: 'A plan code (see GET /v1/admin/plans).' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  plan?: string;

  @ApiPropertyOptional({ type: LimitOverridesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LimitOverridesDto)
  limit_overrides?: LimitOverridesDto;

  @ApiPropertyOptional({ enum: ['self_serve', 'invoice'], default: 'self_serve', example: 'invoice' })
  @IsOptional()
  @IsIn(['self_serve', 'invoice'])
  billing_mode?: 'self_serve' | 'invoice';

  @ApiPropertyOptional({ minimum: 0, maximum: 120, example: 30, description: 'Payment terms of invoice billing; required with it.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  net_days?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { crm_account: 'ACME-0042', region: 'eu' },
    description: 'Up to 16 string pairs.',
  })
  @IsOptional()
  @IsObject()
  @IsStringMap()
  metadata?: Record<string, string>;
}

export class UpdateTenantDto extends PartialType(CreateTenantDto) {}
