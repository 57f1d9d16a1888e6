import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class CreateBurnPolicyDto {
  @ApiProperty({ example: 1500, description: 'Share of each revenue entry allocated to buy-and-burn, in basis points (1500 = 15 %).' })
  @IsInt()
  @Min(0)
  @Max(10_000)
  share_bps: number;

  @ApiProperty({ example: 86_400_000, description: 'How often the worker runs the burn job, in ms; 0: only at start-up and when asked.' })
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3_600_000)
  burn_interval_ms: number;

  @ApiProperty({ example: 100, description: 'Slippage cap: the limit price is the current price × (1 + this), in basis points.' })
  @IsInt()
  @Min(1)
  @Max(5_000)
  max_slippage_bps: number;

  @ApiProperty({ example: '3000000', description: 'No burn below this many RAO (at least the chain minimum plus the fee reserve).' })
  @IsString()
  @Matches(/^[1-9]\d{0,18}$/, { message: 'must be a positive integer number of RAO' })
  min_burn_rao: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z', description: 'When this version takes effect; now by default, never in the past.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  effective_from?: string;

  @ApiProperty({ example: 'Board decision 2026-11-30: 15 % from December', description: 'Why: kept with the version and in the audit log.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class BurnPolicyObject {
  @ApiProperty({ example: 'burn_policy' }) object: 'burn_policy';
  @ApiProperty({ example: 2 }) version: number;
  @ApiProperty({ example: 1500 }) share_bps: number;
  @ApiProperty({ example: 86_400_000 }) burn_interval_ms: number;
  @ApiProperty({ example: 100 }) max_slippage_bps: number;
  @ApiProperty({ example: '3000000' }) min_burn_rao: string;
  @ApiProperty() effective_from: string;
  @ApiProperty() reason: string;
  @ApiProperty({ example: 'op_01j…' }) created_by: string;
  @ApiProperty() created_at: string;
}

export class BurnPolicyList {
  @ApiProperty({ example: 'list' }) object: 'list';
  @ApiProperty({ type: [BurnPolicyObject], description: 'Newest version first.' }) data: BurnPolicyObject[];
  @ApiProperty({ type: BurnPolicyObject, description: 'The version in effect now.' }) in_effect: BurnPolicyObject;
}
