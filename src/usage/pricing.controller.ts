import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../core/auth/auth.decorators.js';
import { planLimits } from '../core/limits/effective-limits.js';
import { PlansService } from '../plans/index.js';
import { currency, planPrice } from './price-book.js';
import { PricingObject } from './dto/pricing.objects.js';

@ApiTags('pricing')
@Controller('v1/pricing')
export class PricingController {
  constructor(private readonly plans: PlansService) {}

  /** Public: the same price list Stripe is synced from and every video is costed with. */
  @Get()
  @Public()
  @ApiOperation({ summary: 'Plans with their prices, included seconds, overage per second by resolution and limits', operationId: 'getPricing', description: "The public price list, no key needed: each plan's base price, included video-seconds, overage price per second for each resolution, limits and currency, in integer minor units. The same data the Stripe catalogue is synced from." })
  @ApiOkResponse({ type: PricingObject })
  async pricing(): Promise<PricingObject> {
    const plans = await this.plans.list();
    return {
      object: 'pricing',
      currency: currency(),
      plans: plans.flatMap((p) => {
        const price = planPrice(p.code);
        if (!price) return [];
        return [{
          code: p.code, name: p.name, currency: price.currency, base_amount: price.baseMinor, included_video_seconds: p.includedVideoSeconds,
          overage_allowed: p.overageAllowed, overage_per_second: price.overagePerSecond, limits: planLimits(p),
        }];
      }),
    };
  }
}
