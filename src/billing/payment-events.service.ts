import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type Stripe from 'stripe';
import { AuditService } from '../audit/index.js';
import { BillingAccount } from './billing-account.entity.js';
import { STRIPE_ACTOR } from './billing-actor.js';
import { RevenueLedgerService } from './revenue-ledger.service.js';
import { AccountStanding } from './account-standing.service.js';
import { UnmatchedStripeObject } from './unmatched-stripe-object.js';
import { hasPastDueInvoice } from './past-due-invoices.js';

const toDate = (s: number | null | undefined) => (s ? new Date(s * 1000) : null);
const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

/** Invoices, refunds and disputes: the revenue ledger and dunning, from a fresh read of each object. */
@Injectable()
export class PaymentEvents {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly ledger: RevenueLedgerService,
    private readonly standing: AccountStanding,
    private readonly audit: AuditService,
  ) {}

  private async account(customerId: string | null): Promise<BillingAccount> {
    const account = customerId ? await this.db.getRepository(BillingAccount).findOneBy({ stripeCustomerId: customerId }) : null;
    if (!account) throw new UnmatchedStripeObject(customerId ? `Stripe customer ${customerId} belongs to no tenant` : 'the object has no Stripe customer');
    return account;
  }

  async invoicePaid(stripe: Stripe, invoiceId: string): Promise<void> {
    const invoice = await stripe.invoices.retrieve(invoiceId);
    if (invoice.status !== 'paid') return;
    const account = await this.account(idOf(invoice.customer));
    await this.db.transaction(async (tx) => {
      const isNew = await this.ledger.record(tx, {
        tenantId: account.tenantId, kind: 'invoice_paid', amountMinor: invoice.amount_paid, currency: invoice.currency,
        stripeObjectId: invoice.id!, stripeInvoiceId: invoice.id!, periodStart: toDate(invoice.period_start), periodEnd: toDate(invoice.period_end),
        occurredAt: toDate(invoice.status_transitions?.paid_at) ?? new Date(),
      });
      if (isNew) await this.audit.record(tx, STRIPE_ACTOR, { tenantId: account.tenantId, action: 'billing.invoice_paid', targetType: 'invoice', targetId: invoice.id!, after: { amount_paid: invoice.amount_paid, currency: invoice.currency } });
    });
    await this.standing.markPaid(account.tenantId, invoice.id!, () => hasPastDueInvoice(stripe, account.stripeCustomerId));
  }

  async invoicePaymentFailed(stripe: Stripe, invoiceId: string): Promise<void> {
    const first = await stripe.invoices.retrieve(invoiceId);
    // Paid (or voided) since the failure: a late, out-of-order event changes nothing.
    if (first.status !== 'open') return;
    const account = await this.account(idOf(first.customer));
    await this.standing.locked(account.tenantId, async (tx, locked) => {
      // Read again under the billing lock paying takes: an answer read before a payment committed
      // (and delivered late) must not make the paid tenant past_due.
      const invoice = await stripe.invoices.retrieve(invoiceId);
      if (invoice.status === 'open' && locked) await this.standing.markPastDue(tx, locked, invoice.id!);
    });
  }

  async invoiceFinalized(stripe: Stripe, invoiceId: string): Promise<void> {
    const invoice = await stripe.invoices.retrieve(invoiceId);
    const account = await this.account(idOf(invoice.customer));
    await this.db.transaction((tx) =>
      this.audit.record(tx, STRIPE_ACTOR, { tenantId: account.tenantId, action: 'billing.invoice_finalized', targetType: 'invoice', targetId: invoice.id!, after: { amount_due: invoice.amount_due, currency: invoice.currency, due_date: invoice.due_date } }),
    );
  }

  async chargeRefunded(stripe: Stripe, chargeId: string): Promise<void> {
    const charge = await stripe.charges.retrieve(chargeId);
    const account = await this.account(idOf(charge.customer));
    const refunds = await stripe.refunds.list({ charge: chargeId, limit: 100 });
    await this.db.transaction(async (tx) => {
      for (const r of refunds.data) {
        if (r.status !== 'succeeded') continue;
        const isNew = await this.ledger.record(tx, {
          tenantId: account.tenantId, kind: 'refund', amountMinor: -r.amount, currency: r.currency, stripeObjectId: r.id,
          stripeInvoiceId: charge.metadata?.invoice ?? null, occurredAt: toDate(r.created) ?? new Date(),
        });
        if (isNew) await this.audit.record(tx, STRIPE_ACTOR, { tenantId: account.tenantId, action: 'billing.refunded', targetType: 'refund', targetId: r.id, after: { amount: r.amount, currency: r.currency, charge: chargeId } });
      }
    });
  }

  async dispute(stripe: Stripe, disputeId: string): Promise<void> {
    const dispute = await stripe.disputes.retrieve(disputeId);
    const charge = await stripe.charges.retrieve(idOf(dispute.charge)!);
    const account = await this.account(idOf(charge.customer));
    await this.db.transaction(async (tx) => {
      // Only a lost dispute takes money back; one still open or won is audited, not booked.
      const isNew = dispute.status === 'lost'
        ? await this.ledger.record(tx, {
            tenantId: account.tenantId, kind: 'dispute_lost', amountMinor: -dispute.amount, currency: dispute.currency, stripeObjectId: dispute.id,
            stripeInvoiceId: charge.metadata?.invoice ?? null, occurredAt: new Date(),
          })
        : true;
      if (isNew) await this.audit.record(tx, STRIPE_ACTOR, { tenantId: account.tenantId, action: `billing.dispute_${dispute.status}`, targetType: 'dispute', targetId: dispute.id, after: { amount: dispute.amount, currency: dispute.currency, status: dispute.status } });
    });
  }
}
