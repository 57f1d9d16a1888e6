import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type Stripe from 'stripe';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { findTenant, getTenant } from '../tenants/index.js';
import { findPlan } from '../plans/index.js';
import { RateCards } from '../contracts/index.js';
import { AuditService } from '../audit/index.js';
import type { Actor } from '../audit/index.js';
import { BillingAccount } from './billing-account.entity.js';
import { CatalogService } from './stripe/catalog.service.js';
import { StripeClient, type StripeDeadline } from './stripe/stripe-client.js';
import { billingEnv } from './billing.env.js';
import { periodTotals, pricingEnv } from '../usage/index.js';
import { ledgerAnchor } from './revenue/ledger-anchor.js';
import { subscriptionGone } from './subscriptions/subscription-states.js';

/** Customers, Checkout, the portal, the billing overview and invoice-billed subscriptions. */
@Injectable()
export class BillingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly stripe: StripeClient,
    private readonly catalog: CatalogService,
    private readonly audit: AuditService,
    private readonly rates: RateCards,
  ) {}

  /**
   * The tenant's Stripe customer, created once (the idempotency key covers a crash before we store
   * it, and an answer lost to a timeout: the retry gets the same customer).
   */
  async ensureCustomer(actor: Actor, tenantId: string, deadline: StripeDeadline): Promise<BillingAccount> {
    const stripe = this.stripe.require();
    const existing = await this.db.getRepository(BillingAccount).findOneBy({ tenantId });
    if (existing) return existing;
    const tenant = await findTenant(this.db.manager, tenantId);
    if (!tenant) throw notFound('tenant', tenantId);
    const customer = await deadline.call((o) =>
      stripe.customers.create({ name: tenant.name, metadata: { tenant_id: tenantId } }, { ...o, idempotencyKey: `leoma-customer-${tenantId}` }),
    );
    return this.db.transaction(async (tx) => {
      await tx.createQueryBuilder().insert().into(BillingAccount).values({ tenantId, stripeCustomerId: customer.id }).orIgnore().execute();
      const account = await tx.findOneByOrFail(BillingAccount, { tenantId });
      await this.audit.record(tx, actor, {
        tenantId,
        action: 'billing.customer_created',
        targetType: 'tenant',
        targetId: tenantId,
        after: { stripe_customer_id: account.stripeCustomerId },
      });
      return account;
    });
  }

  private async prices(planCode: string) {
    const entry = await this.catalog.entry(planCode);
    if (!entry) throw new DomainError('plan_not_for_sale', `Plan ${planCode} has no Stripe prices; an operator runs \`leoma billing sync-catalog\` first.`);
    return entry;
  }

  /**
   * A Checkout URL for a self-serve plan. One session is left open per tenant (under a lock, so two
   * requests at once cannot both create one): asking again for the same plan returns the open
   * session; asking for another plan expires it first, so it can no longer be paid. A session
   * already paid whose subscription has not arrived yet answers 409 like a live subscription.
   */
  async checkout(actor: Actor, tenantId: string, planCode: string, deadline: StripeDeadline): Promise<{ url: string; id: string }> {
    const stripe = this.stripe.require();
    const tenant = await getTenant(this.db.manager, tenantId);
    if (tenant.billingMode === 'invoice')
      throw new DomainError('billing_mode_invoice', 'This account is billed by invoice; the account manager changes its plan.');
    const plan = await findPlan(this.db.manager, planCode);
    if (plan && !plan.selfServe) throw new DomainError('plan_not_self_serve', `Plan ${planCode} is not sold through Checkout; contact the account team.`);
    if (plan && !pricingEnv.get().BILLING_PLAN_PRICES[planCode]) {
      throw new DomainError(
        'plan_not_for_sale',
        `Plan ${planCode} has no price: there is nothing to pay for. To leave a paid plan, cancel it in the billing portal (POST /v1/billing/portal).`,
      );
    }
    const entry = await this.prices(planCode);
    await this.ensureCustomer(actor, tenantId, deadline);
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('checkout:' || $1))`, [tenantId]);
      const account = await tx.findOneByOrFail(BillingAccount, { tenantId });
      const subscriptionExists = () =>
        new DomainError('subscription_exists', 'The account already has a subscription; change it in the billing portal (POST /v1/billing/portal).');
      if (account.stripeSubscriptionId && !subscriptionGone(account.subscriptionStatus)) throw subscriptionExists();
      if (account.openCheckoutSessionId) {
        const open = await deadline.call((o) => stripe.checkout.sessions.retrieve(account.openCheckoutSessionId!, {}, o));
        const paidFor = typeof open.subscription === 'string' ? open.subscription : (open.subscription?.id ?? null);
        // Paid, and its subscription not mirrored yet (one that has since ended does not count).
        if (open.status === 'complete' && paidFor !== account.stripeSubscriptionId) throw subscriptionExists();
        if (open.status === 'open' && account.openCheckoutPlan === planCode) return { id: open.id, url: open.url! };
        if (open.status === 'open') await deadline.call((o) => stripe.checkout.sessions.expire(open.id, {}, o));
      }
      const ret = billingEnv.get().BILLING_RETURN_URL;
      const session = await deadline.call((o) =>
        stripe.checkout.sessions.create(
          {
            mode: 'subscription',
            customer: account.stripeCustomerId,
            client_reference_id: tenantId,
            line_items: [
              { price: entry.basePriceId, quantity: 1 },
              { price: entry.meteredPriceId },
              ...Object.values(entry.surchargePriceIds).map((price) => ({ price })),
            ],
            subscription_data: { metadata: { tenant_id: tenantId, plan: planCode }, ...ledgerAnchor() },
            success_url: `${ret}?checkout=success`,
            cancel_url: `${ret}?checkout=canceled`,
          },
          o,
        ),
      );
      await tx.update(BillingAccount, { tenantId }, { openCheckoutSessionId: session.id, openCheckoutPlan: planCode });
      return { id: session.id, url: session.url! };
    });
  }

  async portal(actor: Actor, tenantId: string, deadline: StripeDeadline): Promise<{ url: string }> {
    const stripe = this.stripe.require();
    const account = await this.ensureCustomer(actor, tenantId, deadline);
    const session = await deadline.call((o) =>
      stripe.billingPortal.sessions.create({ customer: account.stripeCustomerId, return_url: billingEnv.get().BILLING_RETURN_URL }, o),
    );
    return { url: session.url };
  }

  /**
   * Invoice-billed tenants: a subscription Stripe invoices with the tenant's net days. The plan
   * on it follows the tenant's plan (see PlanChangeSync).
   */
  async subscribeByInvoice(actor: Actor, tenantId: string, deadline: StripeDeadline): Promise<BillingAccount> {
    const stripe = this.stripe.require();
    const tenant = await findTenant(this.db.manager, tenantId);
    if (!tenant) throw notFound('tenant', tenantId);
    if (tenant.billingMode !== 'invoice')
      throw new DomainError('billing_mode_self_serve', 'Self-serve tenants subscribe through Checkout (POST /v1/billing/checkout).');
    const entry = await this.prices(tenant.plan);
    const account = await this.ensureCustomer(actor, tenantId, deadline);
    if (account.stripeSubscriptionId && !subscriptionGone(account.subscriptionStatus)) return account;
    const sub = await deadline.call((o) =>
      stripe.subscriptions.create(
        {
          customer: account.stripeCustomerId,
          collection_method: 'send_invoice',
          days_until_due: tenant.netDays ?? 30,
          ...ledgerAnchor(),
          items: [
            { price: entry.basePriceId, quantity: 1 },
            { price: entry.meteredPriceId },
            ...Object.values(entry.surchargePriceIds).map((price) => ({ price })),
          ],
          metadata: { tenant_id: tenantId, plan: tenant.plan },
        },
        { ...o, idempotencyKey: `leoma-subscription-${tenantId}-${account.stripeSubscriptionId ?? 'first'}` },
      ),
    );
    return this.db.transaction(async (tx) => {
      await tx.update(BillingAccount, { tenantId }, { stripeSubscriptionId: sub.id, subscriptionStatus: sub.status, subscribedPlan: tenant.plan });
      await this.audit.record(tx, actor, {
        tenantId,
        action: 'billing.subscription_created',
        targetType: 'tenant',
        targetId: tenantId,
        after: { subscription: sub.id, collection_method: 'send_invoice', days_until_due: tenant.netDays, plan: tenant.plan },
      });
      return tx.findOneByOrFail(BillingAccount, { tenantId });
    });
  }

  /** The tenant's billing at a glance; usage and amounts come from our own ledger, in minor units. */
  async overview(tenantId: string, period: { start: Date; end: Date }, usedSeconds: number) {
    this.stripe.require();
    const [tenant, account] = await Promise.all([getTenant(this.db.manager, tenantId), this.db.getRepository(BillingAccount).findOneBy({ tenantId })]);
    // The tenant's rate card (its contract, else its plan's price) and the costs stored with the usage records, not recomputed.
    const [card, costs] = await Promise.all([this.rates.forTenant(tenantId), periodTotals(this.db, tenantId, period)]);
    const overageDue = costs.amount - costs.credits;
    const included = card.included;
    const overage = Math.max(0, usedSeconds - included);
    const start = account?.currentPeriodStart ?? period.start;
    const end = account?.currentPeriodEnd ?? period.end;
    return {
      object: 'billing' as const,
      plan: tenant.plan,
      billing_mode: tenant.billingMode,
      customer: account?.stripeCustomerId ?? null,
      subscription: account?.stripeSubscriptionId ? { id: account.stripeSubscriptionId, status: account.subscriptionStatus } : null,
      standing: account?.suspendedForNonpayment ? 'suspended' : account?.pastDueSince ? 'past_due' : 'good',
      past_due_since: account?.pastDueSince?.toISOString() ?? null,
      current_period: { start: start.toISOString(), end: end.toISOString() },
      usage: { video_seconds: usedSeconds, included_video_seconds: included, overage_video_seconds: overage },
      amount_due_so_far:
        card.source !== 'unpriced'
          ? { currency: card.currency, base: card.baseMinor, overage: overageDue, credits_applied: costs.credits, total: card.baseMinor + overageDue }
          : null,
    };
  }

  async invoices(tenantId: string, limit: number, startingAfter: string | undefined, deadline: StripeDeadline) {
    const stripe = this.stripe.require();
    const account = await this.db.getRepository(BillingAccount).findOneBy({ tenantId });
    if (!account) return { object: 'list' as const, data: [], has_more: false };
    const page = await deadline.call((o) =>
      stripe.invoices.list({ customer: account.stripeCustomerId, limit, ...(startingAfter ? { starting_after: startingAfter } : {}) }, o),
    );
    return { object: 'list' as const, data: page.data.map(presentInvoice), has_more: page.has_more };
  }
}

function presentInvoice(i: Stripe.Invoice) {
  const iso = (s: number | null | undefined) => (s ? new Date(s * 1000).toISOString() : null);
  return {
    id: i.id,
    object: 'invoice' as const,
    number: i.number,
    status: i.status,
    currency: i.currency,
    amount_due: i.amount_due,
    amount_paid: i.amount_paid,
    amount_remaining: i.amount_remaining,
    period_start: iso(i.period_start),
    period_end: iso(i.period_end),
    due_date: iso(i.due_date),
    collection_method: i.collection_method,
    hosted_invoice_url: i.hosted_invoice_url ?? null,
    invoice_pdf: i.invoice_pdf ?? null,
    created: iso(i.created),
  };
}
