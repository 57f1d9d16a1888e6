import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type Stripe from 'stripe';
import { AuditService } from '../audit/index.js';
import { BillingAccount } from './billing-account.entity.js';
import { STRIPE_ACTOR } from './billing-actor.js';
import { UnmatchedStripeObject } from './unmatched-stripe-object.js';

const toDate = (s: number | null | undefined) => (s ? new Date(s * 1000) : null);
const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

/** Mirrors a tenant's Stripe subscription into billing_accounts, from a fresh read of it. */
@Injectable()
export class SubscriptionSync {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService) {}

  async fromCheckout(stripe: Stripe, sessionId: string): Promise<void> {
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    if (session.status !== 'complete' || !session.subscription) return;
    await this.sync(stripe, idOf(session.subscription)!);
  }

  async sync(stripe: Stripe, subscriptionId: string): Promise<void> {
    const sub = await stripe.subscriptions.retrieve(subscriptionId);
    const customerId = idOf(sub.customer)!;
    await this.db.transaction(async (tx) => {
      const account = await tx.findOne(BillingAccount, { where: { stripeCustomerId: customerId }, lock: { mode: 'pessimistic_write' } });
      if (!account) throw new UnmatchedStripeObject(`Stripe customer ${customerId} of subscription ${sub.id} belongs to no tenant`);
      // A canceled old subscription must not overwrite the tenant's current one.
      if (account.stripeSubscriptionId && account.stripeSubscriptionId !== sub.id && sub.status === 'canceled') return;
      const item = sub.items.data[0];
      const next = {
        stripeSubscriptionId: sub.id,
        subscriptionStatus: sub.status,
        subscribedPlan: sub.metadata?.plan ?? account.subscribedPlan,
        currentPeriodStart: toDate(item?.current_period_start),
        currentPeriodEnd: toDate(item?.current_period_end),
      };
      const before = { subscription: account.stripeSubscriptionId, status: account.subscriptionStatus, plan: account.subscribedPlan };
      const after = { subscription: next.stripeSubscriptionId, status: next.subscriptionStatus, plan: next.subscribedPlan };
      await tx.update(BillingAccount, { tenantId: account.tenantId }, next);
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        await this.audit.record(tx, STRIPE_ACTOR, { tenantId: account.tenantId, action: 'billing.subscription_changed', targetType: 'tenant', targetId: account.tenantId, before, after });
      }
    });
  }
}
