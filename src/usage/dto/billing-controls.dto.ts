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
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['billing_alert'] }) object: 'billing_alert';
  @ApiProperty({ enum: ['amount', 'seconds'] }) metric: string;
  @ApiProperty() threshold: number;
  @ApiProperty() hard_cap: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When it fired in the current period, or null.' }) fired_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class AlertList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [AlertObject] }) data: AlertObject[];
  @ApiProperty({ description: 'Live usage of the current period, as the thresholds count it.' }) period_amount: number;
  @ApiProperty() period_seconds: number;
  @ApiProperty() currency: string;
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
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['purchase', 'grant'] }) source: string;
  @ApiProperty() amount: number;
  @ApiProperty() remaining: number;
  @ApiProperty() currency: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) expires_at: string | null;
  @ApiProperty() expired: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

class CreditMovementObject {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['granted', 'drawn'] }) kind: string;
  @ApiProperty({ description: 'Signed minor units: + granted, − drawn by a video.' }) amount: number;
  @ApiProperty() grant_id: string;
  @ApiProperty({ type: String, nullable: true }) video_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class CreditBalanceObject {
  @ApiProperty({ enum: ['credit_balance'] }) object: 'credit_balance';
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'What unexpired grants still hold, minor units.' }) available: number;
  @ApiProperty({ description: 'What expired grants held when they expired (never drawn).' }) expired: number;
  @ApiProperty({ type: [CreditGrantObject] }) grants: CreditGrantObject[];
  @ApiProperty({ type: [CreditMovementObject], description: 'Newest first, at most 100.' }) movements: CreditMovementObject[];
}
