import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of pricing.controller.ts, kept here so the controller reads as a list of routes. */
export const pricingDocs = {
  getPricing: {
    summary: 'Plans with their prices, included seconds, overage per second by resolution and limits',
    operationId: 'getPricing',
    description:
      "The price list, no key needed: each plan's base price, included video-seconds, overage price per second for each resolution, limits and currency, in integer minor units, as in force now. Sent with a tenant key, `yours` adds the caller's own rate card — its contract's prices, or the plan price it is grandfathered on — the one its videos are costed with.",
  },
} satisfies Record<string, ApiOperationOptions>;
