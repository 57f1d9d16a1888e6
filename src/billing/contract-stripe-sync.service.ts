import type Stripe from 'stripe';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/index.js';
import { RateCards, type ContractVersion } from '../contracts/index.js';
import { surchargeMeterEventName, surchargedResolutions } from '../usage/index.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';
import { BillingAccount, type ContractPrices } from './billing-account.entity.js';
import { CatalogEntry } from './stripe/catalog-entry.entity.js';
import { CatalogService } from './stripe/catalog.service.js';
import { STRIPE_ACTOR } from './billing-actor.js';
import { StripeClient } from './stripe/stripe-client.js';
import { billingEnv } from './billing.env.js';
import { AccountStanding } from './subscriptions/account-standing.service.js';
import { LIVE_STATUSES } from './subscriptions/subscription-states.js';

const key = (tenantId: string, version: number, part: string) => `leoma_ctr_${tenantId}_v${version}_${part}`;

/**
 * Stripe follows the contract. When a tenant's contract version is in force and its subscription
 * is not yet on it, this loop builds tenant-specific prices from the version — the base fee, the
 * video-seconds as a graduated price whose free first tier is the contract's included seconds, a
 * surcharge per dearer resolution — and a percent-off coupon for its discount, and moves the
 * subscription's items onto them without proration (a version starts at a period boundary unless
 * sales asked otherwise). Everything at Stripe is found by our own ids and lookup keys or sent with
 * idempotency keys named for the version, so a retry after an outage, a crash between the Stripe
 * call and our commit, or a second worker applies it exactly once; the billing account records the
 * version applied in the transaction that ends the attempt. Failures back off and are retried.
 */
@Injectable()
export class ContractStripeSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ContractStripeSync.name);
  private readonly loop = new PollLoop({
    name: 'contract sync',
    run: () => this.tick(),
    next: () => billingEnv.get().METER_RELAY_INTERVAL_MS,
    afterError: () => billingEnv.get().METER_RELAY_INTERVAL_MS,
    logLevel: 'warn',
  });

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly stripe: StripeClient,
    private readonly rates: RateCards,
    private readonly catalog: CatalogService,
    private readonly standing: AccountStanding,
    private readonly audit: AuditService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.stripe.get()) this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass: every live subscription whose tenant's contract in force is not yet at Stripe. Returns how many were applied. */
  async tick(now = new Date()): Promise<{ applied: number; failed: number }> {
    const stripe = this.stripe.get();
    if (!stripe) return { applied: 0, failed: 0 };
    const accounts = await this.db.getRepository(BillingAccount).find({ where: { subscriptionStatus: In(LIVE_STATUSES) }, order: { tenantId: 'ASC' } });
    let applied = 0;
    let failed = 0;
    for (const a of accounts) {
      if (!a.stripeSubscriptionId || (a.contractSyncNextAt && a.contractSyncNextAt > now)) continue;
      const contract = await this.rates.contractAt(a.tenantId, now);
      if (!contract || a.contractVersionSynced === contract.version) continue;
      try {
        await this.standing.locked(a.tenantId, async (tx, account) => {
          if (account?.stripeSubscriptionId && account.contractVersionSynced !== contract.version) await this.apply(stripe, tx, account, contract);
        });
        applied++;
      } catch (e) {
        failed++;
        const attempts = a.contractSyncAttempts + 1;
        const delay = Math.min(billingEnv.get().METER_RETRY_BASE_MS * 2 ** (attempts - 1), billingEnv.get().METER_RETRY_MAX_MS);
        await this.db
          .getRepository(BillingAccount)
          .update(
            { tenantId: a.tenantId },
            { contractSyncAttempts: attempts, contractSyncError: (e as Error).message.slice(0, 500), contractSyncNextAt: new Date(Date.now() + delay) },
          );
        this.logger.warn(`contract v${contract.version} of ${a.tenantId} not applied at Stripe (attempt ${attempts}, retrying): ${(e as Error).message}`);
      }
    }
    return { applied, failed };
  }

  private async apply(stripe: Stripe, tx: EntityManager, account: BillingAccount, c: ContractVersion): Promise<void> {
    const entry = await tx.findOneBy(CatalogEntry, { planCode: c.planCode });
    if (!entry) throw new Error(`plan ${c.planCode} is not in the Stripe catalogue yet (leoma billing sync-catalog)`);
    const prices = await this.prices(stripe, account.tenantId, c, entry.meterId);
    const subscription = account.stripeSubscriptionId!;
    const sub = await stripe.subscriptions.retrieve(subscription);
    // Every item moves onto the contract's price of its kind; surcharges follow the contract's.
    const want = new Map(Object.entries(prices.surcharges));
    const items: Stripe.SubscriptionUpdateParams.Item[] = sub.items.data.map((i) => {
      const resolution = i.price.metadata?.resolution;
      if (!resolution) return { id: i.id, price: i.price.recurring?.usage_type === 'metered' ? prices.seconds : prices.base };
      const price = want.get(resolution);
      want.delete(resolution);
      return price ? { id: i.id, price } : { id: i.id, deleted: true };
    });
    for (const price of want.values()) items.push({ price });
    await stripe.subscriptions.update(
      subscription,
      { items, proration_behavior: 'none', discounts: prices.coupon ? [{ coupon: prices.coupon }] : '', metadata: { contract_version: String(c.version) } },
      { idempotencyKey: `leoma-contract-${subscription}-v${c.version}` },
    );
    const before = { contract_version: account.contractVersionSynced };
    await tx.update(
      BillingAccount,
      { tenantId: account.tenantId },
      { contractVersionSynced: c.version, contractPrices: prices, contractSyncAttempts: 0, contractSyncError: null, contractSyncNextAt: null },
    );
    await this.audit.record(tx, STRIPE_ACTOR, {
      tenantId: account.tenantId,
      action: 'billing.contract_applied',
      targetType: 'tenant',
      targetId: account.tenantId,
      before,
      after: { contract_version: c.version, subscription, ...prices },
    });
  }

  /** The version's product, prices and coupon at Stripe, found by our ids and lookup keys first (prices are immutable: a version never changes its own). */
  private async prices(stripe: Stripe, tenantId: string, c: ContractVersion, meterId: string): Promise<ContractPrices> {
    const product = `leoma_contract_${tenantId}`;
    await stripe.products.retrieve(product).catch((e: { statusCode?: number }) => {
      if (e.statusCode === 404)
        return stripe.products.create(
          { id: product, name: `Contract ${tenantId}`, metadata: { tenant_id: tenantId, plan: c.planCode } },
          { idempotencyKey: `leoma-contract-product-${tenantId}` },
        );
      throw e;
    });
    const currency = c.currency.trim();
    const low = c.overageMinorPerSecond['480p'];
    const surcharged = surchargedResolutions().filter((r) => c.overageMinorPerSecond[r] > low);
    const keys = [key(tenantId, c.version, 'base'), key(tenantId, c.version, 'seconds'), ...surcharged.map((r) => key(tenantId, c.version, `overage_${r}`))];
    const existing = new Map((await stripe.prices.list({ lookup_keys: keys, limit: 10 })).data.map((p) => [p.lookup_key, p.id]));
    const ensure = async (lookupKey: string, params: Omit<Stripe.PriceCreateParams, 'lookup_key' | 'product' | 'currency'>) =>
      existing.get(lookupKey) ??
      (
        await stripe.prices.create(
          { ...params, product, currency, lookup_key: lookupKey, metadata: { ...params.metadata, tenant_id: tenantId, contract_version: String(c.version) } },
          { idempotencyKey: `leoma-price-${lookupKey}` },
        )
      ).id;
    const base = await ensure(keys[0]!, { unit_amount: c.baseMinor, recurring: { interval: 'month' } });
    // The included seconds are a free first tier: Stripe bills only what goes over, as our per-video cost does.
    const seconds = await ensure(keys[1]!, {
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      tiers: [
        { up_to: Math.max(c.includedVideoSeconds, 1), unit_amount: 0 },
        { up_to: 'inf', unit_amount: low },
      ],
      recurring: { interval: 'month', usage_type: 'metered', meter: meterId },
    });
    const surcharges: ContractPrices['surcharges'] = {};
    for (const r of surcharged) {
      const meter = await this.catalog.meterFor(stripe, surchargeMeterEventName(billingEnv.get().STRIPE_METER_EVENT_NAME, r), `Leoma ${r} overage seconds`);
      surcharges[r] = await ensure(key(tenantId, c.version, `overage_${r}`), {
        unit_amount: c.overageMinorPerSecond[r] - low,
        recurring: { interval: 'month', usage_type: 'metered', meter: meter.id },
        metadata: { resolution: r, surcharge: 'true' },
      });
    }
    let coupon: string | null = null;
    if (c.discountBps > 0) {
      coupon = key(tenantId, c.version, 'discount');
      const id = coupon;
      await stripe.coupons.retrieve(id).catch((e: { statusCode?: number }) => {
        if (e.statusCode === 404)
          return stripe.coupons.create(
            { id, percent_off: c.discountBps / 100, duration: 'forever', name: `Contract v${c.version} discount`, metadata: { tenant_id: tenantId } },
            { idempotencyKey: `leoma-coupon-${id}` },
          );
        throw e;
      });
    }
    return { product, base, seconds, surcharges, coupon };
  }
}
