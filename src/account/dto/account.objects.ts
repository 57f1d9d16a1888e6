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

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the first unpaid invoice failed; null while `active`.' }) past_due_since:
    | string
    | null;
}

class MeTenant {
  @ApiProperty({ description: 'Your tenant id (`ten_…`).' }) id: string;
  @ApiProperty({ description: "Your tenant's name." }) name: string;
  @ApiProperty({ enum: ['active'], description: "Always `active` here: a suspended tenant's calls answer 403 `tenant_suspended`." }) status: string;
  @ApiProperty({ type: MeBilling, description: 'How you are billed and whether payments are up to date.' }) billing: MeBilling;
}

class MeKey {
  @ApiProperty({ description: "The calling key's id (`key_…`)." }) id: string;
  @ApiProperty({ description: '`true` for a live key, `false` for a test key.' }) livemode: boolean;
  @ApiProperty({ type: [String], description: 'What the calling key may do.' }) scopes: string[];
  @ApiProperty({ type: Number, nullable: true, description: "This key's own request limit; null: the plan's applies." }) rate_limit_per_minute: number | null;
  @ApiProperty({ type: Number, nullable: true, description: "This key's own monthly cap in video-seconds; null: none." }) monthly_video_seconds: number | null;
}

export class MeObject {
  @ApiProperty({ enum: ['me'], description: "String naming the object's type: always `me`." }) object: 'me';
  @ApiProperty({ description: "The calling key's mode; `limits` are this mode's (test mode has its own, see the README)." }) livemode: boolean;
  @ApiProperty({ type: MeTenant, description: 'The tenant the key belongs to.' }) tenant: MeTenant;
  @ApiProperty({ description: "Your plan's code, e.g. `starter`." }) plan: string;
  @ApiProperty({ type: LimitsObject, description: "The limits in force: your plan's, with your contract's overrides applied." }) limits: LimitsObject;
  @ApiProperty({ type: MeKey, description: 'The key that made this request.' }) api_key: MeKey;
}

class UsagePeriod {
  @ApiProperty({ example: '2026-11', description: 'The billing period: a calendar month (UTC), `YYYY-MM`.' }) id: string;
  @ApiProperty({ format: 'date-time', description: 'Start of the period (inclusive).' }) start: string;
  @ApiProperty({ format: 'date-time', description: 'Exclusive.' }) end: string;
}

class UsageSeconds {
  @ApiProperty({ description: 'Video-seconds the plan includes this period.' }) included: number;
  @ApiProperty({ description: 'Settled: videos that succeeded this period.' }) used: number;
  @ApiProperty({ description: 'Held by videos queued or running.' }) reserved: number;
  @ApiProperty({ description: 'Included seconds not yet used or reserved.' }) remaining: number;
  @ApiProperty({ description: 'Whether seconds beyond the included ones are billed (true) or refused (false).' }) overage_allowed: boolean;
  @ApiProperty({ description: 'Seconds used beyond the included ones, billed as overage.' }) overage: number;
}

class UsageConcurrency {
  @ApiProperty({ description: 'Videos that may be queued or running at once.' }) limit: number;
  @ApiProperty({ description: 'Videos queued or running now.' }) active: number;
}

class UsageRate {
  @ApiProperty({ description: 'API requests allowed per minute.' }) limit: number;
}

class UsageKey {
  @ApiProperty({ description: "The calling key's id." }) id: string;
  @ApiProperty({ type: Number, nullable: true, description: "This key's own monthly cap; null: none." }) monthly_video_seconds: number | null;
  @ApiProperty({ description: 'Video-seconds this key (and the keys it was rolled from) used this period.' }) used: number;
  @ApiProperty({ description: "This key lineage's cost in the period, minor units." }) amount: number;
}

class UsageCost {
  @ApiProperty({ description: 'Minor units: the sum of the costs stored with the usage records of the period.' }) amount: number;
  @ApiProperty({ description: 'Three-letter ISO 4217 code, lowercase.' }) currency: string;
  @ApiProperty({ description: 'Seconds taken from the included seconds.' }) included_seconds_used: number;
  @ApiProperty({ description: 'Seconds billed as overage.' }) overage_seconds: number;
  @ApiProperty({ description: 'Paid from prepaid credits.' }) credits_applied: number;
  @ApiProperty({ description: 'amount − credits_applied: what is invoiced.' }) billable: number;
  @ApiProperty({ description: 'Succeeded videos (usage records).' }) videos: number;
}

class UsageGroup {
  @ApiProperty({ description: 'The UTC day (YYYY-MM-DD), API key id or resolution.' }) key: string;
  @ApiProperty({ description: 'Succeeded videos in the group.' }) videos: number;
  @ApiProperty({ description: 'Their billed seconds.' }) video_seconds: number;
  @ApiProperty({ description: 'Of those, seconds from the included seconds.' }) included_seconds_used: number;
  @ApiProperty({ description: 'Of those, seconds billed as overage.' }) overage_seconds: number;
  @ApiProperty({ description: 'Their cost, minor units.' }) amount: number;
  @ApiProperty({ description: 'Of that cost, minor units paid from prepaid credits.' }) credits_applied: number;
}

export class UsageObject {
  @ApiProperty({ enum: ['usage'], description: "String naming the object's type: always `usage`." }) object: 'usage';
  @ApiProperty({ description: "The calling key's mode: every figure here is this mode's (live and test usage and limits are counted apart)." })
  livemode: boolean;
  @ApiProperty({ type: UsagePeriod, description: 'The calendar month (UTC) the figures cover.' }) period: UsagePeriod;
  @ApiProperty({ type: UsageSeconds, description: 'Video-seconds included, used, reserved and left.' }) video_seconds: UsageSeconds;
  @ApiProperty({ type: UsageCost, description: 'What the period has cost so far.' }) cost: UsageCost;
  @ApiProperty({ type: UsageConcurrency, description: 'Videos in flight against the concurrency limit.' }) concurrent_videos: UsageConcurrency;
  @ApiProperty({ type: UsageRate, description: 'The request rate limit.' }) requests_per_minute: UsageRate;
  @ApiProperty({ type: UsageKey, description: "The calling key's own usage." }) api_key: UsageKey;
  @ApiPropertyOptional({ enum: ['day', 'api_key', 'resolution'], description: 'The `group_by` asked for; absent when none.' }) group_by?: string;
  @ApiPropertyOptional({ type: [UsageGroup], description: "The period's usage split by `group_by`; absent when none was asked for." }) groups?: UsageGroup[];
}
