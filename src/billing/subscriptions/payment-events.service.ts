import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type Stripe from 'stripe';
import { AuditService } from '../../audit/index.js';
import { BillingAccount } from '../billing-account.entity.js';
import { STRIPE_ACTOR } from '../billing-actor.js';
import { RevenueLedgerService } from '../revenue/revenue-ledger.service.js';
import { AccountStanding } from './account-standing.service.js';
import { UnmatchedStripeObject } from '../stripe/unmatched-stripe-object.js';
import { CreditsService } from '../../usage/index.js';
import { hasPastDueInvoice } from './past-due-invoices.js';

const toDate = (s: number | null | undefined) => (s ? new Date(s * 1000) : null);
const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

/** Invoices, refunds and disputes: the revenue ledger, dunning and credit claw-backs, from a fresh read of each object. */
@Injectable()
export class PaymentEvents {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly ledger: RevenueLedgerService,
    private readonly standing: AccountStanding,
    private readonly audit: AuditService,
    private readonly credits: CreditsService,
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
        tenantId: account.tenantId,
        kind: 'invoice_paid',
        amountMinor: invoice.amount_paid,
        currency: invoice.currency,
        stripeObjectId: invoice.id!,
        stripeInvoiceId: invoice.id!,
        periodStart: toDate(invoice.period_start),
        periodEnd: toDate(invoice.period_end),
        occurredAt: toDate(invoice.status_transitions?.paid_at) ?? new Date(),
      });
      if (isNew)
        await this.audit.record(tx, STRIPE_ACTOR, {
          tenantId: account.tenantId,
          action: 'billing.invoice_paid',
          targetType: 'invoice',
          targetId: invoice.id!,
          after: { amount_paid: invoice.amount_paid, currency: invoice.currency },
        });
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
      this.audit.record(tx, STRIPE_ACTOR, {
        tenantId: account.tenantId,
        action: 'billing.invoice_finalized',
        targetType: 'invoice',
        targetId: invoice.id!,
        after: { amount_due: invoice.amount_due, currency: invoice.currency, due_date: invoice.due_date },
      }),
    );
  }

  /**
   * What a charge paid for: the invoice (Stripe names no invoice on the charge; the InvoicePayment
   * of its PaymentIntent does) or, when it paid for prepaid credit, that credit grant. Read before
   * the transaction: no Stripe call is made while it holds locks.
   */
  private async paidFor(stripe: Stripe, tenantId: string, charge: Stripe.Charge): Promise<{ invoiceId: string | null; creditGrantId: string | null }> {
    const paymentIntent = idOf(charge.payment_intent);
    if (!paymentIntent) return { invoiceId: null, creditGrantId: null };
    const grant = await this.credits.purchaseByPaymentIntent(tenantId, paymentIntent);
    if (grant) return { invoiceId: null, creditGrantId: grant.id };
    const payments = await stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentIntent }, limit: 1 });
    return { invoiceId: idOf(payments.data[0]?.invoice as string | { id: string } | undefined), creditGrantId: null };
  }

  /** Money taken back from a credit purchase takes the credit back too (CreditsService.clawBack). */
  private async clawBack(
    tx: EntityManager,
    tenantId: string,
    grantId: string,
    amount: number,
    cause: { type: 'refund' | 'dispute'; id: string },
  ): Promise<void> {
    const taken = await this.credits.clawBack(tx, grantId, amount);
    await this.audit.record(tx, STRIPE_ACTOR, {
      tenantId,
      action: 'billing.credits_clawed_back',
      targetType: 'tenant',
      targetId: tenantId,
      after: { grant: grantId, amount: taken, [cause.type]: cause.id },
    });
  }

  async chargeRefunded(stripe: Stripe, chargeId: string): Promise<void> {
    const charge = await stripe.charges.retrieve(chargeId);
    const account = await this.account(idOf(charge.customer));
    const refunds = await stripe.refunds.list({ charge: chargeId, limit: 100 });
    const paid = await this.paidFor(stripe, account.tenantId, charge);
    await this.db.transaction(async (tx) => {
      for (const r of refunds.data) {
        if (r.status !== 'succeeded') continue;
        const isNew = await this.ledger.record(tx, {
          tenantId: account.tenantId,
          kind: 'refund',
          amountMinor: -r.amount,
          currency: r.currency,
          stripeObjectId: r.id,
          stripeInvoiceId: paid.invoiceId,
          occurredAt: toDate(r.created) ?? new Date(),
        });
        if (!isNew) continue;
        await this.audit.record(tx, STRIPE_ACTOR, {
          tenantId: account.tenantId,
          action: 'billing.refunded',
          targetType: 'refund',
          targetId: r.id,
          after: { amount: r.amount, currency: r.currency, charge: chargeId },
        });
        if (paid.creditGrantId) await this.clawBack(tx, account.tenantId, paid.creditGrantId, r.amount, { type: 'refund', id: r.id });
      }
    });
  }

  async dispute(stripe: Stripe, disputeId: string): Promise<void> {
    const dispute = await stripe.disputes.retrieve(disputeId);
    const charge = await stripe.charges.retrieve(idOf(dispute.charge)!);
    const account = await this.account(idOf(charge.customer));
    const paid = await this.paidFor(stripe, account.tenantId, charge);
    await this.db.transaction(async (tx) => {
      // Only a lost dispute takes money back (and the credit it bought); one still open or won is audited, not booked.
      const lost = dispute.status === 'lost';
      const isNew = lost
        ? await this.ledger.record(tx, {
            tenantId: account.tenantId,
            kind: 'dispute_lost',
            amountMinor: -dispute.amount,
            currency: dispute.currency,
            stripeObjectId: dispute.id,
            stripeInvoiceId: paid.invoiceId,
            occurredAt: new Date(),
          })
        : true;
      if (!isNew) return;
      await this.audit.record(tx, STRIPE_ACTOR, {
        tenantId: account.tenantId,
        action: `billing.dispute_${dispute.status}`,
        targetType: 'dispute',
        targetId: dispute.id,
        after: { amount: dispute.amount, currency: dispute.currency, status: dispute.status },
      });
      if (lost && paid.creditGrantId) await this.clawBack(tx, account.tenantId, paid.creditGrantId, dispute.amount, { type: 'dispute', id: dispute.id });
    });
  }
}
