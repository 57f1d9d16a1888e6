import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsStringMap } from '../../common/string-map.validator.js';

export class CreateTenantDto {
  @ApiProperty({ maxLength: 200, example: 'Acme Studio' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ enum: ['free', 'starter', 'pro', 'enterprise'], default: 'free' })
  @IsOptional() @IsIn(['free', 'starter', 'pro', 'enterprise'])
  plan?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'Up to 16 string pairs.' })
  @IsOptional() @IsObject() @IsStringMap()
  metadata?: Record<string, string>;
}
