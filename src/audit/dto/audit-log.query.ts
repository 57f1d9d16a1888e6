import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/pagination.js';
import { exampleId } from '../../platform/openapi/examples.js';

export class AuditLogQuery extends ListQuery {
  @ApiPropertyOptional({ example: 'api_key.revoked', description: 'Only entries of this action, e.g. `api_key.revoked`.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ description: 'An operator id or an API key id.', example: exampleId('operator') })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  actor_id?: string;

  @ApiPropertyOptional({ description: 'The id of the changed object.', example: exampleId('apiKey') })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  target_id?: string;
}

export class AdminAuditLogQuery extends AuditLogQuery {
  @ApiPropertyOptional({ description: 'Only entries of this tenant (`ten_…`).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tenant_id?: string;
}
