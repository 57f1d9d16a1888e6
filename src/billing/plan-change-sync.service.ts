import type Stripe from 'stripe';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/index.js';
import { BillingAccount } from './billing-account.entity.js';
import { CatalogEntry } from './catalog-entry.entity.js';
import { STRIPE_ACTOR } from './billing-actor.js';
import { StripeClient } from './stripe-client.js';
import { billingEnv } from './billing.env.js';

/**
 * Plan changes made in the admin API or CLI reach the Stripe subscription: the tenant row is the
 * source of truth, and this loop moves any subscription whose plan differs onto the new plan's
 * prices (Stripe prorates). Tenants never call billing, so a plan change cannot fail on Stripe.
 */
@Injectable()
export class PlanChangeSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PlanChangeSync.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(@InjectDataSource() private readonly db: DataSource, private readonly stripe: StripeClient, private readonly audit: AuditService) {}

  onApplicationBootstrap(): void {
    if (!this.stripe.get()) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((e: Error) => this.logger.error(`plan change sync: ${e.message}`))
        .finally(() => (this.running = undefined));
    }, billingEnv.get().METER_RELAY_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async tick(): Promise<number> {
    const stripe = this.stripe.get();
    if (!stripe) return 0;
    const due: { tenant_id: string; plan: string; subscription: string; from: string | null; changed: Date }[] = await this.db.query(
      `SELECT a.tenant_id, t.plan, a.stripe_subscription_id AS subscription, a.subscribed_plan AS "from", t.updated_at AS changed
         FROM billing_accounts a JOIN tenants t ON t.id = a.tenant_id JOIN billing_catalog c ON c.plan_code = t.plan
        WHERE a.stripe_subscription_id IS NOT NULL AND a.subscription_status NOT IN ('canceled', 'incomplete_expired')
          AND a.subscribed_plan IS DISTINCT FROM t.plan
        ORDER BY a.tenant_id LIMIT 50`,
    );
    for (const d of due) {
      const entry = await this.db.getRepository(CatalogEntry).findOneByOrFail({ planCode: d.plan });
      const sub = await stripe.subscriptions.retrieve(d.subscription);
      // Surcharge items (one per dearer resolution) follow the new plan's: moved, dropped or added.
      const wantSurcharges = new Map(Object.entries(entry.surchargePriceIds));
      const items: Stripe.SubscriptionUpdateParams.Item[] = sub.items.data.map((i) => {
        const resolution = i.price.metadata?.resolution;
        if (!resolution) return { id: i.id, price: i.price.recurring?.usage_type === 'metered' ? entry.meteredPriceId : entry.basePriceId };
        const price = wantSurcharges.get(resolution);
        wantSurcharges.delete(resolution);
        return price ? { id: i.id, price } : { id: i.id, deleted: true };
      });
      for (const price of wantSurcharges.values()) items.push({ price });
      // The key names this change (the tenant row's time of it), not just its plans: a second
      // A→B within Stripe's 24 h window would otherwise replay the first one and change nothing.
      await stripe.subscriptions.update(d.subscription, { items, proration_behavior: 'create_prorations', metadata: { plan: d.plan } }, { idempotencyKey: `leoma-plan-${d.subscription}-${d.from}-${d.plan}-${new Date(d.changed).getTime()}` });
      await this.db.transaction(async (tx) => {
        await tx.update(BillingAccount, { tenantId: d.tenant_id }, { subscribedPlan: d.plan });
        await this.audit.record(tx, STRIPE_ACTOR, { tenantId: d.tenant_id, action: 'billing.plan_changed', targetType: 'tenant', targetId: d.tenant_id, before: { plan: d.from }, after: { plan: d.plan, subscription: d.subscription } });
      });
    }
    return due.length;
  }
}
