import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class CreateAlertDto {
  @ApiProperty({
    enum: ['amount', 'seconds'],
    example: 'amount',
    description: "What the threshold counts in the period's live usage: cost in minor units, or video-seconds.",
  })
  @IsIn(['amount', 'seconds'])
  metric: 'amount' | 'seconds';

  @ApiProperty({ minimum: 1, maximum: 1_000_000_000, example: 50_000, description: 'Minor units for `amount` (50000 = $500.00), seconds for `seconds`.' })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  threshold: number;

  @ApiPropertyOptional({
    default: false,
    example: true,
    description: 'Also refuse new live videos that would go over the threshold (429 spend_cap_reached); running videos always finish.',
  })
  @IsOptional()
  @IsBoolean()
  hard_cap?: boolean;
}

export class AlertObject {
  @ApiProperty({ description: 'Unique identifier of the spend alert.' }) id: string;
  @ApiProperty({ enum: ['billing_alert'], description: "String naming the object's type: always `billing_alert`." }) object: 'billing_alert';
  @ApiProperty({ enum: ['amount', 'seconds'], description: "`amount`: the period's cost in minor units; `seconds`: the period's video-seconds." })
  metric: string;
  @ApiProperty({ description: "Minor units for `amount` (50000 = $500.00), video-seconds for `seconds`, of the period's live usage." }) threshold: number;
  @ApiProperty({
    description: 'When true, new live videos that would go over the threshold are refused (429 `spend_cap_reached`); running videos always finish.',
  })
  hard_cap: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When it fired in the current period, or null.' }) fired_at: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the spend alert was created (ISO 8601, UTC).' }) created_at: string;
}

export class AlertList {
  @ApiProperty({ enum: ['list'], description: 'Always `list`.' }) object: 'list';
  @ApiProperty({ type: [AlertObject], description: 'This page of spend alerts, newest first.' }) data: AlertObject[];
  @ApiProperty({ description: 'Live usage of the current period, as the thresholds count it.' }) period_amount: number;
  @ApiProperty({ description: 'Live video-seconds of the current period, as the thresholds count them.' }) period_seconds: number;
  @ApiProperty({ description: 'Currency of `period_amount` and the `amount` thresholds.' }) currency: string;
}

export class GrantCreditsDto {
  @ApiProperty({ description: 'Minor units of the billing currency.', minimum: 1, maximum: 100_000_000, example: 25_000 })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  amount: number;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2027-06-30T23:59:59Z',
    description: 'Nothing is drawn from the grant after this instant; never expires when absent.',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Pilot agreement: first month on us', description: 'Why (deal, promotion); shown to the tenant.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

class CreditGrantObject {
  @ApiProperty({ description: 'Unique identifier of the credit grant.' }) id: string;
  @ApiProperty({ enum: ['purchase', 'grant'], description: '`purchase`: bought through Checkout; `grant`: given by our team.' }) source: string;
  @ApiProperty({ description: 'Credit granted, minor units of `currency`.' }) amount: number;
  @ApiProperty({ description: 'Credit left to draw, minor units.' }) remaining: number;
  @ApiProperty({ description: 'Three-letter ISO 4217 code, lowercase.' }) currency: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was granted; null for purchases.' }) note: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Unused credit lapses then; null: never.' }) expires_at: string | null;
  @ApiProperty({ description: 'Whether it has lapsed.' }) expired: boolean;
  @ApiProperty({ format: 'date-time', description: 'When the credit grant was created (ISO 8601, UTC).' }) created_at: string;
}

class CreditMovementObject {
  @ApiProperty({ description: 'Unique identifier of the credit movement.' }) id: string;
  @ApiProperty({ enum: ['granted', 'drawn'], description: '`granted`: credit added; `drawn`: credit used by a video.' }) kind: string;
  @ApiProperty({ description: 'Signed minor units: + granted, − drawn by a video.' }) amount: number;
  @ApiProperty({ description: 'The grant it moved.' }) grant_id: string;
  @ApiProperty({ type: String, nullable: true, description: 'The video that drew it; null for a grant.' }) video_id: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the credit movement was created (ISO 8601, UTC).' }) created_at: string;
}

export class CreditBalanceObject {
  @ApiProperty({ enum: ['credit_balance'], description: "String naming the object's type: always `credit_balance`." }) object: 'credit_balance';
  @ApiProperty({ description: 'Three-letter ISO 4217 code, lowercase.' }) currency: string;
  @ApiProperty({ description: 'What unexpired grants still hold, minor units.' }) available: number;
  @ApiProperty({ description: 'What expired grants held when they expired (never drawn).' }) expired: number;
  @ApiProperty({ type: [CreditGrantObject], description: 'Every grant, newest first, with what is left of each.' }) grants: CreditGrantObject[];
  @ApiProperty({ type: [CreditMovementObject], description: 'Newest first, at most 100.' }) movements: CreditMovementObject[];
}
