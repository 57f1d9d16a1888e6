import { ApiProperty } from '@nestjs/swagger';
import { PlanObject } from '../../plans/index.js';
import { PriceByResolution } from './pricing.objects.js';
import { TaxIdDto } from './contract-input.dto.js';

export class ContractObject {
  @ApiProperty({ enum: ['contract'] }) object: 'contract';
  @ApiProperty({ example: 'ctr_01J…' }) id: string;
  @ApiProperty() tenant_id: string;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) effective_from: string;
  @ApiProperty({ example: 'enterprise' }) plan: string;
  @ApiProperty({ example: 'usd' }) currency: string;
  @ApiProperty() base_amount: number;
  @ApiProperty() included_video_seconds: number;
  @ApiProperty({ type: PriceByResolution }) overage_per_second: PriceByResolution;
  @ApiProperty() commitment_amount: number;
  @ApiProperty() discount_bps: number;
  @ApiProperty({ format: 'date-time' }) term_start: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' }) term_end: string | null;
  @ApiProperty() auto_renew: boolean;
  @ApiProperty({ nullable: true, type: 'string' }) po_number: string | null;
  @ApiProperty({ type: [TaxIdDto] }) tax_ids: TaxIdDto[];
  @ApiProperty({ nullable: true, type: 'string' }) billing_email: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "Limits beyond the plan's." }) limits: Record<string, unknown>;
  @ApiProperty({ format: 'date-time', nullable: true, type: 'string', description: 'When its limits were put on the tenant (null: not in force yet).' })
  activated_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class ContractList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [ContractObject], description: 'Every version, oldest first.' }) data: ContractObject[];
  @ApiProperty() has_more: boolean;
  @ApiProperty({ type: ContractObject, nullable: true, description: 'The version in force now.' }) current: ContractObject | null;
}

export class PlanVersionObject {
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) effective_from: string;
  @ApiProperty({ example: 'usd' }) currency: string;
  @ApiProperty() base_amount: number;
  @ApiProperty({ type: PriceByResolution }) overage_per_second: PriceByResolution;
}

export class PlanDetailObject extends PlanObject {
  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' }) retired_at: string | null;
  @ApiProperty({ type: [PlanVersionObject], description: 'Its price versions, oldest first (none: priced by the BILLING_PLAN_PRICES list, if at all).' })
  versions: PlanVersionObject[];
}

export class PublishedPriceObject extends PlanVersionObject {
  @ApiProperty({ enum: ['plan_version'] }) object: 'plan_version';
  @ApiProperty({ type: [String], description: 'Tenants kept on the price they paid before (grandfathered).' }) grandfathered: string[];
}
