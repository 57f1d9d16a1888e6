import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type Stripe from 'stripe';
import { AuditService } from '../../audit/index.js';
import { getTenant, TenantsService } from '../../tenants/index.js';
import { BillingAccount } from '../billing-account.entity.js';
import { STRIPE_ACTOR } from '../billing-actor.js';
import { CreditPurchases } from '../credits/credit-purchases.js';
import { UnmatchedStripeObject } from '../stripe/unmatched-stripe-object.js';
import { AccountStanding } from './account-standing.service.js';
import { planOfSubscription } from './subscription-plan.js';
import { subscriptionEnded, subscriptionGone, subscriptionLive } from './subscription-states.js';
import { billingEnv } from '../billing.env.js';
import { duplicateSubscriptions } from '../billing.metrics.js';

const toDate = (s: number | null | undefined) => (s ? new Date(s * 1000) : null);
const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

/**
 * Mirrors a tenant's Stripe subscription into billing_accounts, and lets it decide the tenant's
 * plan: a new subscription, a plan changed at Stripe (the portal) or one paid again after unpaid
 * moves the tenant to the plan of its prices; one that ends moves it to BILLING_LAPSED_PLAN. A
 * subscription still on the prices we last saw while the tenant's plan differs is an operator's
 * change on its way to Stripe (PlanChangeSync), left alone here.
 */
@Injectable()
export class SubscriptionSync {
  private readonly logger = new Logger(SubscriptionSync.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly creditPurchases: CreditPurchases,
    private readonly standing: AccountStanding,
    private readonly tenants: TenantsService,
  ) {}

  async fromCheckout(stripe: Stripe, sessionId: string): Promise<void> {
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    if (session.status === 'complete' && session.mode === 'payment') return this.creditPurchases.fromCheckout(session);
    if (session.status !== 'complete' || !session.subscription) return;
    await this.sync(stripe, idOf(session.subscription)!);
    await this.db.getRepository(BillingAccount).update({ openCheckoutSessionId: session.id }, { openCheckoutSessionId: null, openCheckoutPlan: null });
  }

  async sync(stripe: Stripe, subscriptionId: string): Promise<void> {
    const first = await stripe.subscriptions.retrieve(subscriptionId);
    const customerId = idOf(first.customer)!;
    const owner = await this.db.getRepository(BillingAccount).findOneBy({ stripeCustomerId: customerId });
    if (!owner) throw new UnmatchedStripeObject(`Stripe customer ${customerId} of subscription ${first.id} belongs to no tenant`);
    // Read again under the tenant's billing lock: events about one customer apply one at a time,
    // each from Stripe's state as of then, so a snapshot read before a newer event committed (and
    // answered late) never commits last.
    await this.standing.locked(owner.tenantId, async (tx, account) => this.apply(stripe, tx, account!, await stripe.subscriptions.retrieve(subscriptionId)));
  }

  private async apply(stripe: Stripe, tx: EntityManager, account: BillingAccount, sub: Stripe.Subscription): Promise<void> {
    const tenantId = account.tenantId;
    const current = account.stripeSubscriptionId;
    if (current && current !== sub.id) {
      // An old subscription that ended must not overwrite the tenant's current one.
      if (subscriptionGone(sub.status)) return;
      if (!subscriptionGone(account.subscriptionStatus)) return this.duplicate(stripe, tx, account, sub);
    }
    const tenant = await getTenant(tx, tenantId);
    const stripePlan = await planOfSubscription(tx, sub);
    const same = current === sub.id;
    const wasEnded = same && subscriptionEnded(account.subscriptionStatus);
    let plan: string | null = null;
    if (subscriptionLive(sub.status) && stripePlan && stripePlan !== tenant.plan && (!same || wasEnded || stripePlan !== account.subscribedPlan))
      plan = stripePlan;
    const lapsed = billingEnv.get().BILLING_LAPSED_PLAN;
    if (subscriptionEnded(sub.status) && !wasEnded && tenant.plan !== lapsed) plan = lapsed;
    const item = sub.items.data[0];
    const next = {
      stripeSubscriptionId: sub.id,
      subscriptionStatus: sub.status,
      subscribedPlan: stripePlan ?? account.subscribedPlan,
      currentPeriodStart: toDate(item?.current_period_start),
      currentPeriodEnd: toDate(item?.current_period_end),
      ...(!same || subscriptionGone(sub.status) ? { endingForPlan: null } : {}),
    };
    const before = { subscription: account.stripeSubscriptionId, status: account.subscriptionStatus, plan: account.subscribedPlan };
    const after = { subscription: next.stripeSubscriptionId, status: next.subscriptionStatus, plan: next.subscribedPlan };
    await tx.update(BillingAccount, { tenantId }, next);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await this.audit.record(tx, STRIPE_ACTOR, { tenantId, action: 'billing.subscription_changed', targetType: 'tenant', targetId: tenantId, before, after });
    }
    if (plan) await this.tenants.setPlanIn(tx, STRIPE_ACTOR, tenantId, plan);
  }

  /**
   * A second subscription on a customer that has a live one (two checkouts paid at once, one made
   * by hand): it would bill the base fee and every overage twice. It is canceled at Stripe (a
   * refund of what it already charged is finance's call) and flagged in the audit log and the
   * logs; the tenant's current subscription stays as it is.
   */
  private async duplicate(stripe: Stripe, tx: EntityManager, account: BillingAccount, sub: Stripe.Subscription): Promise<void> {
    await stripe.subscriptions.cancel(sub.id, {}, { idempotencyKey: `leoma-duplicate-${sub.id}` });
    duplicateSubscriptions.inc();
    this.logger.warn(`Tenant ${account.tenantId} had a second live subscription ${sub.id} (kept ${account.stripeSubscriptionId}); it was canceled`);
    await this.audit.record(tx, STRIPE_ACTOR, {
      tenantId: account.tenantId,
      action: 'billing.duplicate_subscription',
      targetType: 'tenant',
      targetId: account.tenantId,
      after: { subscription: sub.id, status: sub.status, kept: account.stripeSubscriptionId, canceled: true },
    });
  }
}
