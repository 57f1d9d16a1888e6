import type Stripe from 'stripe';
import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/index.js';
import { PollLoop } from '../../platform/scheduling/poll-loop.js';
import { BillingAccount } from '../billing-account.entity.js';
import { CatalogEntry } from '../stripe/catalog-entry.entity.js';
import { STRIPE_ACTOR } from '../billing-actor.js';
import { StripeClient } from '../stripe/stripe-client.js';
import { billingEnv } from '../billing.env.js';
import { AccountStanding } from './account-standing.service.js';
import { LIVE_STATUSES } from './subscription-states.js';

/**
 * Plan changes made in the admin API or CLI reach the Stripe subscription: this loop moves a live
 * subscription onto the operator's new plan's prices (Stripe prorates), or, for a plan that is not
 * sold (free), sets it to cancel at period end. Changes that came from Stripe (Checkout, the
 * portal) are the subscription's own and never moved back. Tenants never call billing, so a plan
 * change cannot fail on Stripe.
 */
@Injectable()
export class PlanChangeSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop = new PollLoop({
    name: 'plan change sync',
    run: () => this.tick(),
    next: () => billingEnv.get().PLAN_CHANGE_SYNC_MS,
    afterError: () => billingEnv.get().PLAN_CHANGE_SYNC_MS,
  });

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly stripe: StripeClient,
    private readonly audit: AuditService,
    private readonly standing: AccountStanding,
  ) {}

  onApplicationBootstrap(): void {
    if (this.stripe.get()) this.loop.start(billingEnv.get().PLAN_CHANGE_SYNC_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  async tick(): Promise<number> {
    const stripe = this.stripe.get();
    if (!stripe) return 0;
    const due: { tenant_id: string }[] = await this.db.query(
      `SELECT a.tenant_id FROM billing_accounts a JOIN tenants t ON t.id = a.tenant_id LEFT JOIN billing_catalog c ON c.plan_code = t.plan
        WHERE a.stripe_subscription_id IS NOT NULL AND a.subscription_status = ANY($1) AND ${PENDING}
        ORDER BY a.tenant_id LIMIT 50`,
      [LIVE_STATUSES],
    );
    for (const d of due) await this.standing.locked(d.tenant_id, (tx, account) => this.move(stripe, tx, account!));
    return due.length;
  }

  /** Under the tenant's billing lock, so a change arriving from Stripe meanwhile is seen, not overwritten. */
  private async move(stripe: Stripe, tx: EntityManager, account: BillingAccount): Promise<void> {
    const [d]: { plan: string; changed: Date; sold: boolean }[] = await tx.query(
      `SELECT t.plan, t.updated_at AS changed, c.plan_code IS NOT NULL AS sold FROM billing_accounts a JOIN tenants t ON t.id = a.tenant_id
         LEFT JOIN billing_catalog c ON c.plan_code = t.plan WHERE a.tenant_id = $1 AND a.subscription_status = ANY($2) AND ${PENDING}`,
      [account.tenantId, LIVE_STATUSES],
    );
    if (!d) return;
    const subscription = account.stripeSubscriptionId!;
    const at = new Date(d.changed).getTime();
    if (!d.sold) {
      // Not sold (free): nothing to move to. The customer keeps what they paid for until the
      // period ends, and is not billed another base fee after it.
      await stripe.subscriptions.update(subscription, { cancel_at_period_end: true }, { idempotencyKey: `leoma-plan-end-${subscription}-${d.plan}-${at}` });
      await tx.update(BillingAccount, { tenantId: account.tenantId }, { endingForPlan: d.plan });
      await this.audit.record(tx, STRIPE_ACTOR, {
        tenantId: account.tenantId,
        action: 'billing.subscription_cancel_scheduled',
        targetType: 'tenant',
        targetId: account.tenantId,
        before: { plan: account.subscribedPlan },
        after: { plan: d.plan, subscription, cancel_at_period_end: true },
      });
      return;
    }
    const entry = await tx.findOneByOrFail(CatalogEntry, { planCode: d.plan });
    const sub = await stripe.subscriptions.retrieve(subscription);
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
    // Back on a sold plan after a move to an unsold one: the subscription no longer ends.
    await stripe.subscriptions.update(
      subscription,
      { items, proration_behavior: 'create_prorations', metadata: { plan: d.plan }, ...(account.endingForPlan ? { cancel_at_period_end: false } : {}) },
      { idempotencyKey: `leoma-plan-${subscription}-${account.subscribedPlan}-${d.plan}-${at}` },
    );
    await tx.update(BillingAccount, { tenantId: account.tenantId }, { subscribedPlan: d.plan, endingForPlan: null });
    await this.audit.record(tx, STRIPE_ACTOR, {
      tenantId: account.tenantId,
      action: 'billing.plan_changed',
      targetType: 'tenant',
      targetId: account.tenantId,
      before: { plan: account.subscribedPlan },
      after: { plan: d.plan, subscription },
    });
  }
}

/**
 * An operator's change not yet at Stripe: a sold plan the subscription's prices are not on (or one
 * set to end for an earlier move to an unsold plan), or an unsold plan not yet scheduled to end.
 * Changes that came from Stripe already match (SubscriptionSync writes both sides at once).
 */
const PENDING = `((c.plan_code IS NOT NULL AND (a.subscribed_plan IS DISTINCT FROM t.plan OR a.ending_for_plan IS NOT NULL))
  OR (c.plan_code IS NULL AND a.ending_for_plan IS DISTINCT FROM t.plan))`;
