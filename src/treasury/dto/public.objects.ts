import { ApiProperty } from '@nestjs/swagger';
import { PublicBurnObject } from './treasury.objects.js';

export class PublicTotalsObject {
  @ApiProperty({ description: 'Finalized burns.' }) burns: number;
  @ApiProperty() tao_spent_rao: string;
  @ApiProperty() alpha_burned: string;
  @ApiProperty() fees_rao: string;
}

export class PublicBurnList {
  @ApiProperty({ example: 'list' }) object: 'list';
  @ApiProperty({ type: [PublicBurnObject] }) data: PublicBurnObject[];
  @ApiProperty() has_more: boolean;
  @ApiProperty({ type: PublicTotalsObject, description: 'Over every burn on chain, not just this page.' }) totals: PublicTotalsObject;
}
