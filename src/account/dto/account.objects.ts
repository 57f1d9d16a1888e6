import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LimitsObject } from '../../plans/index.js';
import { BillingObject } from '../../tenants/index.js';

class MeBilling extends BillingObject {
  @ApiProperty({
    enum: ['active', 'past_due'],
    description:
      'past_due from the first failed payment until an invoice is paid; still served until the grace ends (then the tenant is suspended and every call answers 403 tenant_suspended).',
  })
  standing: 'active' | 'past_due';

  @ApiProperty({ type: String, format: 'date-time', nullable: true }) past_due_since: string | null;
}

class MeTenant {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['active'] }) status: string;
  @ApiProperty({ type: MeBilling }) billing: MeBilling;
}

class MeKey {
  @ApiProperty() id: string;
  @ApiProperty() livemode: boolean;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ type: Number, nullable: true }) rate_limit_per_minute: number | null;
  @ApiProperty({ type: Number, nullable: true }) monthly_video_seconds: number | null;
}

export class MeObject {
  @ApiProperty({ enum: ['me'] }) object: 'me';
  @ApiProperty({ description: "The calling key's mode; `limits` are this mode's (test mode has its own, see the README)." }) livemode: boolean;
  @ApiProperty({ type: MeTenant }) tenant: MeTenant;
  @ApiProperty() plan: string;
  @ApiProperty({ type: LimitsObject }) limits: LimitsObject;
  @ApiProperty({ type: MeKey }) api_key: MeKey;
}

class UsagePeriod {
  @ApiProperty({ example: '2026-11' }) id: string;
  @ApiProperty({ format: 'date-time' }) start: string;
  @ApiProperty({ format: 'date-time', description: 'Exclusive.' }) end: string;
}

class UsageSeconds {
  @ApiProperty() included: number;
  @ApiProperty({ description: 'Settled: videos that succeeded this period.' }) used: number;
  @ApiProperty({ description: 'Held by videos queued or running.' }) reserved: number;
  @ApiProperty() remaining: number;
  @ApiProperty() overage_allowed: boolean;
  @ApiProperty() overage: number;
}

class UsageConcurrency {
  @ApiProperty() limit: number;
  @ApiProperty() active: number;
}

class UsageRate {
  @ApiProperty() limit: number;
}

class UsageKey {
  @ApiProperty() id: string;
  @ApiProperty({ type: Number, nullable: true }) monthly_video_seconds: number | null;
  @ApiProperty() used: number;
  @ApiProperty({ description: "This key lineage's cost in the period, minor units." }) amount: number;
}

class UsageCost {
  @ApiProperty({ description: 'Minor units: the sum of the costs stored with the usage records of the period.' }) amount: number;
  @ApiProperty() currency: string;
  @ApiProperty() included_seconds_used: number;
  @ApiProperty() overage_seconds: number;
  @ApiProperty({ description: 'Paid from prepaid credits.' }) credits_applied: number;
  @ApiProperty({ description: 'amount − credits_applied: what is invoiced.' }) billable: number;
  @ApiProperty({ description: 'Succeeded videos (usage records).' }) videos: number;
}

class UsageGroup {
  @ApiProperty({ description: 'The UTC day (YYYY-MM-DD), API key id or resolution.' }) key: string;
  @ApiProperty() videos: number;
  @ApiProperty() video_seconds: number;
  @ApiProperty() included_seconds_used: number;
  @ApiProperty() overage_seconds: number;
  @ApiProperty() amount: number;
  @ApiProperty() credits_applied: number;
}

export class UsageObject {
  @ApiProperty({ enum: ['usage'] }) object: 'usage';
  @ApiProperty({ description: "The calling key's mode: every figure here is this mode's (live and test usage and limits are counted apart)." })
  livemode: boolean;
  @ApiProperty({ type: UsagePeriod }) period: UsagePeriod;
  @ApiProperty({ type: UsageSeconds }) video_seconds: UsageSeconds;
  @ApiProperty({ type: UsageCost }) cost: UsageCost;
  @ApiProperty({ type: UsageConcurrency }) concurrent_videos: UsageConcurrency;
  @ApiProperty({ type: UsageRate }) requests_per_minute: UsageRate;
  @ApiProperty({ type: UsageKey }) api_key: UsageKey;
  @ApiPropertyOptional({ enum: ['day', 'api_key', 'resolution'] }) group_by?: string;
  @ApiPropertyOptional({ type: [UsageGroup] }) groups?: UsageGroup[];
}
