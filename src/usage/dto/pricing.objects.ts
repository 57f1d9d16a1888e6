import { ApiProperty } from '@nestjs/swagger';
import { LimitsObject } from '../../plans/index.js';

class PriceByResolution {
  @ApiProperty({ example: 1 }) '480p': number;
  @ApiProperty({ example: 2 }) '720p': number;
}

class PlanPriceObject {
  @ApiProperty({ example: 'starter' }) code: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'usd' }) currency: string;
  @ApiProperty({ description: 'Monthly base price, minor units.' }) base_amount: number;
  @ApiProperty() included_video_seconds: number;
  @ApiProperty({ description: 'When false, usage stops at the included seconds instead of being billed as overage.' }) overage_allowed: boolean;
  @ApiProperty({ type: PriceByResolution, description: 'Price of one video-second over the included seconds, minor units, per resolution.' }) overage_per_second: PriceByResolution;
  @ApiProperty({ type: LimitsObject }) limits: LimitsObject;
}

export class PricingObject {
  @ApiProperty({ enum: ['pricing'] }) object: 'pricing';
  @ApiProperty({ example: 'usd' }) currency: string;
  @ApiProperty({ type: [PlanPriceObject] }) plans: PlanPriceObject[];
}
