import { ApiProperty } from '@nestjs/swagger';
import { PublicBurnObject } from './treasury.objects.js';

export class PublicTotalsObject {
  @ApiProperty({ description: 'Finalized burns.' }) burns: number;
  @ApiProperty({ description: 'TAO spent on buy-and-burn in total, RAO (a decimal string: it can exceed 2^53).' }) tao_spent_rao: string;
  @ApiProperty({ description: 'Alpha burned in total, 1e-9 units (a decimal string).' }) alpha_burned: string;
  @ApiProperty({ description: 'Transaction fees paid in total, RAO (a decimal string).' }) fees_rao: string;
}

export class PublicBurnList {
  @ApiProperty({ example: 'list', description: 'Always `list`.' }) object: 'list';
  @ApiProperty({ type: [PublicBurnObject], description: 'This page of burns, newest first.' }) data: PublicBurnObject[];
  @ApiProperty({ description: "Whether more items follow this page: pass the last item's `id` as `starting_after` to get them." }) has_more: boolean;
  @ApiProperty({ type: PublicTotalsObject, description: 'Over every burn on chain, not just this page.' }) totals: PublicTotalsObject;
}
