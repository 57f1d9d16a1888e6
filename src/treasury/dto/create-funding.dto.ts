import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/**
 * A funding names the transfer into the treasury coldkey; the TAO amount is read from the chain.
 * The fiat side (amount, currency, rate and where the rate came from) is finance's.
 */
export class CreateFundingDto {
  @ApiProperty({ example: 4200123, description: 'Block number of the transfer into the treasury coldkey (it must be finalized).' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  transfer_block_number: number;

  @ApiProperty({
    example: 2,
    description: 'Index of the transfer extrinsic in that block (block number + index identify it: hashes are not unique in Substrate).',
  })
  @IsInt()
  @Min(0)
  @Max(100_000)
  transfer_extrinsic_index: number;

  @ApiPropertyOptional({
    example: '0x3b5f0c9d2a7e41b86f0d5c3e9a1b7d24c6e8f0a2b4c6d8e0f1a3b5c7d9e1f3a5',
    description: 'The extrinsic hash, as an explorer shows it; checked against the chain when given.',
  })
  @IsOptional()
  @IsString()
  @Matches(/^0x[0-9a-f]{64}$/i, { message: 'must be a 0x-prefixed 32-byte hex hash' })
  transfer_extrinsic_hash?: string;

  @ApiProperty({ example: 100000, description: 'What the TAO cost, in minor units of `currency`.' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  fiat_minor: number;

  @ApiProperty({ example: 'usd', description: 'ISO 4217 code of the fiat paid (lower or upper case); the funding pays for allocations in this currency only.' })
  @IsString()
  @Matches(/^[a-zA-Z]{3}$/, { message: 'must be a three-letter ISO 4217 currency code' })
  currency: string;

  @ApiProperty({ example: '400.00', description: '`currency` per TAO at conversion (decimal text); checked against the two amounts within 1 %.' })
  @IsString()
  @Matches(/^\d{1,9}(\.\d{1,9})?$/, { message: 'must be a decimal number of currency units per TAO' })
  rate: string;

  @ApiProperty({ example: 'kraken TAO/USD fill', description: 'Where the rate was read (the exchange fill, the OTC quote, a price feed).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  rate_source: string;

  @ApiProperty({ example: '2026-11-28T11:58:00Z', description: 'When the rate was read.' })
  @IsISO8601({ strict: true })
  rate_read_at: string;

  @ApiProperty({ example: 'kraken', description: 'Where the TAO came from (exchange, OTC desk, …).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  source: string;

  @ApiProperty({ example: 'KRK-TX-8841', description: "Finance's reference for the fiat side (the exchange's or bank's id); one funding per reference." })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  external_reference: string;
}
