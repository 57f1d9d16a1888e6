import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

export class CreateFundingDto {
  @ApiProperty({ example: '2500000000', description: 'TAO received on the treasury coldkey, in RAO (integer string).' })
  @IsString() @Matches(/^[1-9]\d{0,18}$/, { message: 'must be a positive integer number of RAO' })
  amount_rao: string;

  @ApiProperty({ example: 100000, description: 'What the TAO cost, in US cents.' })
  @IsInt() @Min(1)
  usd_cents: number;

  @ApiProperty({ example: '400.00', description: 'USD per TAO at conversion (decimal text); checked against the two amounts within 1 %.' })
  @IsString() @Matches(/^\d{1,9}(\.\d{1,9})?$/, { message: 'must be a decimal number of USD per TAO' })
  rate: string;

  @ApiProperty({ example: 'kraken', description: 'Where the TAO came from (exchange, OTC desk, …).' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  source: string;

  @ApiProperty({ example: 'KRK-TX-8841', description: "The exchange's or transfer's reference; one funding per reference." })
  @IsString() @IsNotEmpty() @MaxLength(200)
  external_reference: string;

  @ApiPropertyOptional({ example: '2026-11-28T12:00:00Z', description: 'When the TAO arrived; defaults to now.' })
  @IsOptional() @IsISO8601({ strict: true })
  received_at?: string;
}
