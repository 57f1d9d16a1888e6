import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../core/auth/auth.decorators.js';
import { planLimits } from '../core/limits/effective-limits.js';
import type { Principal } from '../core/auth/principal.js';
import { PlansService } from '../plans/index.js';
import { currency } from '../usage/index.js';
import { POST_PRODUCTION_STEPS } from '../core/post-production.js';
import { RateCards } from './rate-cards.service.js';
import { PricingObject } from './dto/pricing.objects.js';
import { pricingDocs } from './pricing.docs.js';

@ApiTags('pricing')
@Controller('v1/pricing')
export class PricingController {
  constructor(
    private readonly plans: PlansService,
    private readonly rates: RateCards,
  ) {}

  /** Public: the prices every video is costed with; a signed-in tenant sees its own (its contract's). */
  @Get()
  @Public({ identifiesCaller: true })
  @ApiOperation(pricingDocs.getPricing)
  @ApiOkResponse({ type: PricingObject })
  async pricing(@Req() req: Request): Promise<PricingObject> {
    const plans = (await this.plans.list()).filter((p) => !p.retiredAt);
    const out: PricingObject = { object: 'pricing', currency: currency(), plans: [], post_production: POST_PRODUCTION_STEPS.map((s) => ({ ...s })) };
    for (const p of plans) {
      const card = await this.rates.forPlan(p);
      if (card.source === 'unpriced') continue;
      out.plans.push({
        code: p.code,
        name: p.name,
        currency: card.currency,
        base_amount: card.baseMinor,
        included_video_seconds: p.includedVideoSeconds,
        overage_allowed: p.overageAllowed,
        overage_per_second: card.overagePerSecond,
        limits: planLimits(p),
      });
    }
    const who = req.user as Principal | undefined;
    if (who?.kind === 'tenant') {
      const card = await this.rates.forTenant(who.tenantId);
      out.yours = {
        plan: card.plan,
        source: card.source,
        currency: card.currency,
        base_amount: card.baseMinor,
        included_video_seconds: who.limits.included_video_seconds,
        overage_allowed: who.limits.overage_allowed,
        overage_per_second: card.overagePerSecond,
        commitment_amount: card.commitmentMinor,
        discount_bps: card.discountBps,
        contract_version: card.contractVersion,
        plan_version: card.planVersion,
        limits: who.limits,
      };
    }
    return out;
  }
}
