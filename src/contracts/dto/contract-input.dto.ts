import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { LimitOverridesDto } from '../../tenants/index.js';

export class TaxIdDto {
  @ApiProperty({ example: 'eu_vat', description: "Stripe's tax id type." })
  @Matches(/^[a-z]{2,3}_[a-z_]{2,10}$/)
  type: string;

  @ApiProperty({ example: 'DE123456789' })
  @IsString()
  @MaxLength(64)
  value: string;
}

class PartialRatesDto {
  @ApiPropertyOptional({ example: 1 }) @IsOptional() @IsInt() '480p'?: number;
  @ApiPropertyOptional({ example: 2 }) @IsOptional() @IsInt() '720p'?: number;
}

/** A new contract version; what is left out carries over from the current version, else comes from the plan's price. */
export class ContractInputDto {
  @ApiPropertyOptional({ example: 'enterprise', description: 'The plan whose limits apply where the contract says nothing.' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  plan?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2027-01-01T00:00:00Z',
    description: 'When this version starts: default the next period boundary (the 1st, 00:00 UTC); never in the past; after the latest version.',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  effective_from?: string;

  @ApiPropertyOptional({ example: 'usd', description: "Must be the currency the tenant is billed in (a subscription's currency cannot change)." })
  @IsOptional()
  @Matches(/^[a-z]{3}$/)
  currency?: string;

  @ApiPropertyOptional({ example: 0, description: 'Monthly base fee, minor units.' })
  @IsOptional()
  @IsInt()
  base_amount?: number;

  @ApiPropertyOptional({ example: 500_000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  included_video_seconds?: number;

  @ApiPropertyOptional({ type: PartialRatesDto, description: 'Per resolution, minor units per video-second over the included seconds.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PartialRatesDto)
  overage_per_second?: PartialRatesDto;

  @ApiPropertyOptional({
    example: 200_000,
    description: 'Minimum spend per period (base + overage before the discount), minor units: what usage leaves of it is invoiced as a true-up.',
  })
  @IsOptional()
  @IsInt()
  commitment_amount?: number;

  @ApiPropertyOptional({ example: 1000, description: 'Discount on the period, basis points (1000 = 10 %).' })
  @IsOptional()
  @IsInt()
  discount_bps?: number;

  @ApiPropertyOptional({ format: 'date-time', example: '2027-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  term_start?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2028-01-01T00:00:00Z', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsISO8601({ strict: true })
  term_end?: string | null;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  auto_renew?: boolean;

  @ApiPropertyOptional({ type: String, example: 'PO-2026-0042', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(100)
  po_number?: string | null;

  @ApiPropertyOptional({ type: [TaxIdDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => TaxIdDto)
  tax_ids?: TaxIdDto[];

  @ApiPropertyOptional({ type: String, example: 'ap@megastore.example', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsEmail()
  billing_email?: string | null;

  @ApiPropertyOptional({ type: LimitOverridesDto, description: "Limits beyond the plan's; the included seconds always come from the contract." })
  @IsOptional()
  @ValidateNested()
  @Type(() => LimitOverridesDto)
  limits?: LimitOverridesDto;
}

export class RenewContractDto {
  @ApiPropertyOptional({ default: false, example: true, description: "Renew onto the plan's current price instead of carrying the contract's prices over." })
  @IsOptional()
  @IsBoolean()
  reprice?: boolean;

  @ApiPropertyOptional({ format: 'date-time', example: '2029-01-01T00:00:00Z', description: 'Default: the new term is as long as the last one.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  term_end?: string;
}
