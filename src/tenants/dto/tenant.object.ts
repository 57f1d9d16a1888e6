import { ApiProperty } from '@nestjs/swagger';
import { LimitOverridesDto } from './limit-overrides.dto.js';
import { LimitsObject } from '../../plans/index.js';

export class BillingObject {
  @ApiProperty({ enum: ['self_serve', 'invoice'], description: '`self_serve`: card payments through Stripe Checkout; `invoice`: invoiced with payment terms.' })
  mode: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Payment terms in days for `invoice` billing; null for `self_serve`.' }) net_days: number | null;
}

export class TenantObject {
  @ApiProperty({ example: 'ten_01jd3v8m7k2q9x4r5s6t7v8w9x' }) id: string;
  @ApiProperty({ enum: ['tenant'] }) object: 'tenant';
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) status: string;
  @ApiProperty() plan: string;
  @ApiProperty({ type: LimitOverridesDto }) limit_overrides: LimitOverridesDto;
  @ApiProperty({ type: BillingObject }) billing: BillingObject;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata: Record<string, string>;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class TenantWithLimits extends TenantObject {
  @ApiProperty({ type: LimitsObject, description: 'The plan with the overrides applied.' }) limits: LimitsObject;
}

export class TenantList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [TenantObject] }) data: TenantObject[];
  @ApiProperty() has_more: boolean;
}
