import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LimitsObject } from '../../plans/index.js';

export class PriceByResolution {
  @ApiProperty({ example: 1, description: 'Minor units per second at 480p.' }) '480p': number;
  @ApiProperty({ example: 2, description: 'Minor units per second at 720p.' }) '720p': number;
}

class PlanPriceObject {
  @ApiProperty({ example: 'starter', description: "The plan's code, as `plan` in GET /v1/me." }) code: string;
  @ApiProperty({ description: "The plan's display name." }) name: string;
  @ApiProperty({ example: 'usd', description: 'Three-letter ISO 4217 code, lowercase.' }) currency: string;
  @ApiProperty({ description: 'Monthly base price, minor units.' }) base_amount: number;
  @ApiProperty({ description: 'Video-seconds included per month.' }) included_video_seconds: number;
  @ApiProperty({ description: 'When false, usage stops at the included seconds instead of being billed as overage.' }) overage_allowed: boolean;
  @ApiProperty({ type: PriceByResolution, description: 'Price of one video-second over the included seconds, minor units, per resolution.' })
  overage_per_second: PriceByResolution;
  @ApiProperty({ type: LimitsObject, description: "The plan's limits." }) limits: LimitsObject;
}

/** The signed-in tenant's own rate card. */
class YourPriceObject {
  @ApiProperty({ example: 'enterprise', description: "Your plan's code." }) plan: string;
  @ApiProperty({
    enum: ['contract', 'plan_version', 'price_list', 'unpriced'],
    description: "Where the prices come from: the tenant's contract, a plan price version (possibly grandfathered), the env price list, or nothing (free).",
  })
  source: string;
  @ApiProperty({ example: 'usd', description: 'Three-letter ISO 4217 code, lowercase.' }) currency: string;
  @ApiProperty({ description: 'Monthly base price, minor units.' }) base_amount: number;
  @ApiProperty({ description: 'Video-seconds included per month.' }) included_video_seconds: number;
  @ApiProperty({ description: 'Whether seconds beyond the included ones are billed (true) or refused (false).' }) overage_allowed: boolean;
  @ApiProperty({ type: PriceByResolution, description: 'Price of one overage second, minor units, per resolution.' }) overage_per_second: PriceByResolution;
  @ApiProperty({ description: 'Minimum spend per period, minor units (0: none).' }) commitment_amount: number;
  @ApiProperty({ description: 'Discount, basis points.' }) discount_bps: number;
  @ApiProperty({ type: 'integer', nullable: true, description: "Your contract's version when a contract sets your price; null otherwise." }) contract_version:
    | number
    | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The plan price version in force; null when the plan has none.' }) plan_version: number | null;
  @ApiProperty({ type: LimitsObject, description: "Your limits: the plan's with your contract's overrides." }) limits: LimitsObject;
}

export class PostProductionPriceObject {
  @ApiProperty({ enum: ['stitch', 'crop', 'pad', 'upscale', 'interpolate', 'audio'], description: "The step as a video's `output.steps` names it." })
  step: string;
  @ApiPropertyOptional({
    enum: ['silent', 'file'],
    description: "`audio` only: a silent track, or your own sound track (`audio_file`; the output's step says `source` `file` or `url`).",
  })
  source?: string;
  @ApiProperty({ description: 'What the step does.' }) description: string;
  @ApiProperty({
    example: 0,
    description: 'Minor units per second of video charged apart from video-seconds: 0 for every step (a priced step is charged in video-seconds).',
  })
  amount_per_second: number;
  @ApiProperty({
    example: 0.5,
    description:
      "Video-seconds the step adds to the video's billed seconds per second of video (rounded up per video), charged like the render's own seconds: from the included seconds first, then at the video's resolution rate. 0: included.",
  })
  billed_seconds_per_second: number;
  @ApiProperty({ example: 0.36, description: 'What the step costs us: CPU seconds per second of video, measured (bench/post-production.bench-run.ts).' })
  cpu_seconds_per_video_second: number;
}

export class PricingObject {
  @ApiProperty({ enum: ['pricing'], description: "String naming the object's type: always `pricing`." }) object: 'pricing';
  @ApiProperty({ example: 'usd', description: 'Three-letter ISO 4217 code, lowercase.' }) currency: string;
  @ApiProperty({ type: [PlanPriceObject], description: 'Every plan, cheapest first.' }) plans: PlanPriceObject[];
  @ApiProperty({
    type: [PostProductionPriceObject],
    description:
      "The steps our worker may run on the model's render (chained segments stitched; a ratio the model does not render cropped or padded), with their price and CPU cost. A video's cost is its seconds at its resolution's rate, plus these.",
  })
  post_production: PostProductionPriceObject[];
  @ApiPropertyOptional({ type: YourPriceObject, description: 'Only when called with a tenant key.' }) yours?: YourPriceObject;
}
