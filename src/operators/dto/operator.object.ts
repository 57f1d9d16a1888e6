import { ApiProperty } from '@nestjs/swagger';
import { OPERATOR_ROLES } from '../operator.entity.js';

export class OperatorObject {
  @ApiProperty({ example: 'op_01jd3v8m7k2q9x4r5s6t7v8w9x' }) id: string;
  @ApiProperty({ enum: ['operator'] }) object: 'operator';
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: OPERATOR_ROLES }) role: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabled_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class OperatorWithKey extends OperatorObject {
  @ApiProperty() key_id: string;
  @ApiProperty({ type: String, nullable: true, description: 'The lk_op_ key, shown only in this response.' }) secret: string | null;
}

export class OperatorList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [OperatorObject] }) data: OperatorObject[];
  @ApiProperty() has_more: boolean;
}

export class OperatorKeyCreated {
  @ApiProperty({ enum: ['operator_key'] }) object: 'operator_key';
  @ApiProperty() id: string;
  @ApiProperty() operator_id: string;
  @ApiProperty({ type: String, nullable: true }) secret: string | null;
}
