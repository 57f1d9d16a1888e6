import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';

export class CheckoutDto {
  @ApiProperty({ description: 'Code of the plan to subscribe to', example: 'pro' })
  @IsString()
  @Matches(/^[a-z0-9_-]{1,40}$/)
  plan: string;
}

export class InvoiceListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10, description: 'Number of invoices to return, 1 to 100.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'An invoice id (in_…) to page after', example: 'in_1QxZ7c2eZvKYlo2C8qvR3hFw' })
  @IsOptional()
  @Matches(/^in_[A-Za-z0-9]{1,250}$/)
  starting_after?: string;
}

/** A calendar month, YYYY-MM. */
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export class ReconcileQuery {
  @ApiProperty({ description: 'Calendar month, UTC', example: '2026-11' })
  @Matches(PERIOD_PATTERN, { message: 'period must be YYYY-MM' })
  period: string;
}
