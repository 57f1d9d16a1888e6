import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/pagination.js';

export class ListTenantsQuery extends ListQuery {
  @ApiPropertyOptional({ enum: ['active', 'suspended'] })
  @IsOptional()
  @IsIn(['active', 'suspended'])
  status?: 'active' | 'suspended';

  @ApiPropertyOptional({ example: 'enterprise', description: 'A plan code (see GET /v1/admin/plans).' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  plan?: string;
}
