import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDate, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ALL_TENANT_SCOPES } from '../../auth/principal.js';

export class CreateApiKeyDto {
  @ApiPropertyOptional({ enum: ['live', 'test'], default: 'live' })
  @IsOptional() @IsIn(['live', 'test'])
  mode?: 'live' | 'test';

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional() @IsString() @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ type: [String], enum: ALL_TENANT_SCOPES, description: 'Defaults to every scope.' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsIn(ALL_TENANT_SCOPES, { each: true })
  scopes?: string[];

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional() @Type(() => Date) @IsDate()
  expires_at?: Date;
}
