import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type Stripe from 'stripe';
import { allPlans } from '../../plans/index.js';
import { CatalogEntry } from './catalog-entry.entity.js';
import { billingEnv } from '../billing.env.js';
import type { StripeDeadline } from './stripe-client.js';
import { stripeSdk } from './stripe-sdk.js';
import { currency as priceCurrency, pricingEnv, surcharges, surchargeMeterEventName } from '../../usage/index.js';

const CREDIT_PRODUCT = 'leoma_credit';
const creditLookupKey = (currency: string) => `leoma_credit_${currency}`;

export interface CatalogSyncResult {
  meter_id: string;
  plans: { plan: string; product: string; base_price: string; metered_price: string; surcharge_prices: Record<string, string>; changed: boolean }[];
}

/**
 * Plans → Stripe products and prices, idempotently: products carry our own ids, prices are found
 * by lookup key and replaced (lookup key transferred) only when the amounts changed, because
 * Stripe prices are immutable. The meter is found by its event name.
 */
@Injectable()
export class CatalogService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async sync(stripe: Stripe): Promise<CatalogSyncResult> {
    const env = billingEnv.get();
    const meter = await this.ensureMeter(stripe, env.STRIPE_METER_EVENT_NAME, 'Leoma video-seconds');
    const prices = pricingEnv.get().BILLING_PLAN_PRICES;
    const surchargeMeters = new Map<string, Stripe.Billing.Meter>();
    const plans = await allPlans(this.db.manager);
    const out: CatalogSyncResult['plans'] = [];
    for (const plan of plans) {
      const price = prices[plan.code];
      if (!price) continue;
      const productId = `leoma_plan_${plan.code}`;
      await stripe.products.retrieve(productId).then(
        (p) => (p.name === plan.name ? p : stripe.products.update(productId, { name: plan.name })),
        (e: unknown) => {
          if (e instanceof stripeSdk().errors.StripeInvalidRequestError && e.statusCode === 404) {
            return stripe.products.create({ id: productId, name: plan.name, metadata: { plan: plan.code } });
          }
          throw e;
        },
      );
      const currency = priceCurrency();
      const baseKey = `leoma_${plan.code}_base_${currency}`;
      const meteredKey = `leoma_${plan.code}_video_seconds_${currency}`;
      const planSurcharges = surcharges(plan.code).map((x) => ({ ...x, key: `leoma_${plan.code}_overage_${x.resolution}_${currency}` }));
      const existing = await stripe.prices.list({ lookup_keys: [baseKey, meteredKey, ...planSurcharges.map((x) => x.key)], active: true, limit: 10 });
      const byKey = new Map(existing.data.map((p) => [p.lookup_key, p]));
      const wantMetered = { included: String(plan.includedVideoSeconds), per_second: String(price.overage_per_second), meter: meter.id };
      let base = byKey.get(baseKey);
      let metered = byKey.get(meteredKey);
      let changed = false;
      if (!base || base.unit_amount !== price.base) {
        base = await stripe.prices.create({
          product: productId,
          currency,
          unit_amount: price.base,
          recurring: { interval: 'month' },
          lookup_key: baseKey,
          transfer_lookup_key: true,
          metadata: { plan: plan.code },
        });
        changed = true;
      }
      if (!metered || Object.entries(wantMetered).some(([k, v]) => metered!.metadata?.[k] !== v)) {
        // The included seconds are a free first tier, so Stripe bills only what goes over.
        metered = await stripe.prices.create({
          product: productId,
          currency,
          lookup_key: meteredKey,
          transfer_lookup_key: true,
          billing_scheme: 'tiered',
          tiers_mode: 'graduated',
          tiers: [
            { up_to: Math.max(plan.includedVideoSeconds, 1), unit_amount: 0 },
            { up_to: 'inf', unit_amount: price.overage_per_second },
          ],
          recurring: { interval: 'month', usage_type: 'metered', meter: meter.id },
          metadata: { plan: plan.code, ...wantMetered },
        });
        changed = true;
      }
      const surchargePriceIds: Record<string, string> = {};
      for (const x of planSurcharges) {
        let m = surchargeMeters.get(x.resolution);
        if (!m)
          surchargeMeters.set(
            x.resolution,
            (m = await this.ensureMeter(stripe, surchargeMeterEventName(env.STRIPE_METER_EVENT_NAME, x.resolution), `Leoma ${x.resolution} overage seconds`)),
          );
        let sp = byKey.get(x.key);
        if (!sp || sp.unit_amount !== x.perSecond || sp.recurring?.meter !== m.id) {
          // Billed on the overage seconds at this resolution only (the relay meters them separately).
          sp = await stripe.prices.create({
            product: productId,
            currency,
            unit_amount: x.perSecond,
            lookup_key: x.key,
            transfer_lookup_key: true,
            recurring: { interval: 'month', usage_type: 'metered', meter: m.id },
            metadata: { plan: plan.code, resolution: x.resolution, surcharge: 'true' },
          });
          changed = true;
        }
        surchargePriceIds[x.resolution] = sp.id;
      }
      await this.db.getRepository(CatalogEntry).upsert(
        {
          planCode: plan.code,
          surchargePriceIds,
          stripeProductId: productId,
          basePriceId: base.id,
          meteredPriceId: metered.id,
          meterId: meter.id,
          currency,
          baseAmountMinor: price.base,
          overageMinorPerSecond: price.overage_per_second,
        },
        ['planCode'],
      );
      out.push({ plan: plan.code, product: productId, base_price: base.id, metered_price: metered.id, surcharge_prices: surchargePriceIds, changed });
    }
    await this.ensureCreditPrice(stripe);
    return { meter_id: meter.id, plans: out };
  }

  /**
   * Prepaid credit is sold in Checkout as a quantity of one minor unit (a one-off price), so any
   * amount can be bought with one price that never changes.
   */
  private async ensureCreditPrice(stripe: Stripe): Promise<Stripe.Price> {
    const currency = priceCurrency();
    const key = creditLookupKey(currency);
    const [existing] = (await stripe.prices.list({ lookup_keys: [key], active: true, limit: 1 })).data;
    if (existing) return existing;
    await stripe.products.retrieve(CREDIT_PRODUCT).catch((e: unknown) => {
      if (e instanceof stripeSdk().errors.StripeInvalidRequestError && e.statusCode === 404)
        return stripe.products.create({ id: CREDIT_PRODUCT, name: 'Leoma prepaid credit' });
      throw e;
    });
    return stripe.prices.create({
      product: CREDIT_PRODUCT,
      currency,
      unit_amount: 1,
      lookup_key: key,
      transfer_lookup_key: true,
      metadata: { kind: 'credits' },
    });
  }

  /** The one-minor-unit credit price, or null before the catalogue was synced. */
  async creditPrice(stripe: Stripe, deadline: StripeDeadline): Promise<Stripe.Price | null> {
    const [price] = (await deadline.call((o) => stripe.prices.list({ lookup_keys: [creditLookupKey(priceCurrency())], active: true, limit: 1 }, o))).data;
    return price ?? null;
  }

  /** The active meter of an event name, created when missing (contracts' surcharge prices need one per resolution). */
  meterFor(stripe: Stripe, eventName: string, displayName: string): Promise<Stripe.Billing.Meter> {
    return this.ensureMeter(stripe, eventName, displayName);
  }

  private async ensureMeter(stripe: Stripe, eventName: string, displayName: string): Promise<Stripe.Billing.Meter> {
    for await (const m of stripe.billing.meters.list({ status: 'active', limit: 100 })) {
      if (m.event_name === eventName) return m;
    }
    return stripe.billing.meters.create({
      display_name: displayName,
      event_name: eventName,
      default_aggregation: { formula: 'sum' },
      customer_mapping: { type: 'by_id', event_payload_key: 'stripe_customer_id' },
      value_settings: { event_payload_key: 'value' },
    });
  }

  entry(planCode: string): Promise<CatalogEntry | null> {
    return this.db.getRepository(CatalogEntry).findOneBy({ planCode });
  }
}
