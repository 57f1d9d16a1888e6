import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQuery } from '../../common/pagination.js';
import { OPERATOR_ROLES, type OperatorRole } from '../../operators/operator.entity.js';

export class ListTenantsQuery extends ListQuery {
  @ApiPropertyOptional({ enum: ['active', 'suspended'] })
  @IsOptional() @IsIn(['active', 'suspended'])
  status?: 'active' | 'suspended';

  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(50)
  plan?: string;
}

export class CreateOperatorDto {
  @ApiProperty({ maxLength: 200 })
  @IsString() @IsNotEmpty() @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'sam@leoma.ai' })
  @IsEmail() @MaxLength(320)
  email: string;

  @ApiProperty({ enum: OPERATOR_ROLES })
  @IsIn(OPERATOR_ROLES)
  role: OperatorRole;
}
