import { z } from 'zod';
import { defineEnv, int, json } from '../platform/config/define-env.js';
import { RESOLUTIONS } from '../core/video-format.js';

const minor = z.number().int().min(0);

/**
 * The price list: the one source `GET /v1/pricing`, every video's cost, estimates and the Stripe
 * catalogue (`leoma billing sync-catalog`) all read. Plans not listed here are not sold.
 */
export const pricingEnv = defineEnv('pricing', {
  /**
   * Per plan, in minor units: a monthly base price and the price of one video-second over the
   * included seconds. `overage_per_second` is the lowest rate (480p); a resolution may cost more
   * through `overage_per_second_by_resolution` (never less: Stripe bills the difference as a surcharge).
   */
  BILLING_PLAN_PRICES: json(
    z.record(
      z.string(),
      z
        .object({ base: minor, overage_per_second: minor, overage_per_second_by_resolution: z.partialRecord(z.enum(RESOLUTIONS), minor).optional() })
        .strict()
        .refine((p) => Object.values(p.overage_per_second_by_resolution ?? {}).every((v) => v === undefined || v >= p.overage_per_second), {
          message: 'a resolution may not cost less per second than overage_per_second',
        }),
    ),
    '{"starter":{"base":1900,"overage_per_second":3,"overage_per_second_by_resolution":{"720p":4}},"pro":{"base":9900,"overage_per_second":2,"overage_per_second_by_resolution":{"720p":3}},"enterprise":{"base":0,"overage_per_second":1,"overage_per_second_by_resolution":{"720p":2}}}',
  ),
  BILLING_CURRENCY: z
    .string()
    .regex(/^[a-z]{3}$/)
    .default('usd'),
  /** How long bought credit lasts; operator grants set their own expiry. */
  CREDIT_PURCHASE_VALID_DAYS: int(365, 1, 3650),
});
