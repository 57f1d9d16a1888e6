import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { OPERATOR_ROLES, type OperatorRole } from '../operator.entity.js';

export class CreateOperatorDto {
  @ApiProperty({ maxLength: 200, example: 'Sam Rivera' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'sam@leoma.ai' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ enum: OPERATOR_ROLES, example: 'support' })
  @IsIn(OPERATOR_ROLES)
  role: OperatorRole;
}
