import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/pagination.js';
import { PERIOD_PATTERN } from '../dto/billing-inputs.dto.js';

export const REVENUE_KINDS = ['invoice_paid', 'credit_purchase', 'refund', 'dispute_lost'] as const;

/** Filters shared by the list, its CSV export and the CLI. All of them narrow; none is required. */
export class RevenueListQuery extends ListQuery {
  @ApiPropertyOptional({ description: 'Only this tenant (ten_…).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tenant_id?: string;

  @ApiPropertyOptional({ enum: REVENUE_KINDS })
  @IsOptional()
  @IsIn(REVENUE_KINDS)
  kind?: (typeof REVENUE_KINDS)[number];

  @ApiPropertyOptional({ description: 'ISO 4217 code, either case (stored lowercase).', example: 'usd' })
  @IsOptional()
  @Matches(/^[A-Za-z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code' })
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  currency?: string;

  @ApiPropertyOptional({ description: 'occurred_at on or after this instant (ISO 8601).', example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  occurred_from?: string;

  @ApiPropertyOptional({ description: 'occurred_at before this instant (exclusive, ISO 8601).', example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  occurred_to?: string;

  @ApiPropertyOptional({ description: 'Calendar month (UTC) the entry occurred in: the bookkeeping month.', example: '2026-11' })
  @IsOptional()
  @Matches(PERIOD_PATTERN, { message: 'period must be YYYY-MM' })
  period?: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    description: 'csv (or `Accept: text/csv`) downloads every matching entry, oldest first; limit and cursors are ignored.',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class RevenueSummaryQuery {
  @ApiProperty({ description: 'Calendar month (UTC) the entries occurred in', example: '2026-11' })
  @Matches(PERIOD_PATTERN, { message: 'period must be YYYY-MM' })
  period: string;

  @ApiPropertyOptional({ description: 'Only this tenant (ten_…).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tenant_id?: string;
}

export class RevenueEntryObject {
  @ApiProperty({ example: 'rev_01J…' }) id: string;
  @ApiProperty({ enum: ['revenue_entry'] }) object: 'revenue_entry';
  @ApiProperty() tenant_id: string;
  @ApiProperty({ enum: REVENUE_KINDS }) kind: string;
  @ApiProperty({ description: 'Signed integer minor units: negative for refunds and lost disputes.', example: 9900 }) amount_minor: number;
  @ApiProperty({ example: 'usd' }) currency: string;
  @ApiProperty({ description: 'The invoice, refund or dispute id at Stripe.' }) stripe_object_id: string;
  @ApiProperty({ type: String, nullable: true }) stripe_invoice_id: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) period_start: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) period_end: string | null;
  @ApiProperty({ format: 'date-time' }) occurred_at: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class RevenueEntryList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [RevenueEntryObject] }) data: RevenueEntryObject[];
  @ApiProperty() has_more: boolean;
}

export class RevenueCurrencyTotals {
  @ApiProperty({ example: 'usd' }) currency: string;
  @ApiProperty({ description: 'Sum of paid invoices and prepaid credit bought (minor units).' }) gross_minor: number;
  @ApiProperty({ description: 'Sum of refunds (minor units, ≤ 0).' }) refunds_minor: number;
  @ApiProperty({ description: 'Sum of lost disputes (minor units, ≤ 0).' }) disputes_minor: number;
  @ApiProperty({ description: 'gross + refunds + disputes.' }) net_minor: number;
  @ApiProperty({ description: 'Entries of every kind.' }) count: number;
  @ApiProperty() invoices_paid: number;
  @ApiProperty() refunds: number;
  @ApiProperty() disputes_lost: number;
}

export class RevenueSummaryObject {
  @ApiProperty({ enum: ['revenue_summary'] }) object: 'revenue_summary';
  @ApiProperty({ example: '2026-11' }) period: string;
  @ApiProperty({ format: 'date-time' }) start: string;
  @ApiProperty({ format: 'date-time', description: 'Exclusive.' }) end: string;
  @ApiProperty({ type: String, nullable: true }) tenant_id: string | null;
  @ApiProperty({ type: [RevenueCurrencyTotals], description: 'One row per currency, alphabetical; amounts never mix currencies.' })
  currencies: RevenueCurrencyTotals[];
}
