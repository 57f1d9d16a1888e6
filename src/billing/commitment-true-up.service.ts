import type Stripe from 'stripe';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/index.js';
import { RateCards } from '../contracts/index.js';
import { BillingAccount } from './billing-account.entity.js';
import { STRIPE_ACTOR } from './billing-actor.js';
import { UnmatchedStripeObject } from './stripe/unmatched-stripe-object.js';
import { periodLedger } from './period-ledger.js';

const idOf = (v: string | { id?: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

/**
 * A minimum commitment's true-up reaches the invoice it belongs to: when Stripe drafts a
 * subscription's period invoice (`invoice.created`; Stripe finalizes drafts about an hour later),
 * what our ledger says the period's usage left of the commitment is added to that draft as one
 * non-discountable invoice item, with an idempotency key named for the invoice, so a redelivered
 * event adds it once.
 */
@Injectable()
export class CommitmentTrueUp {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly rates: RateCards,
    private readonly audit: AuditService,
  ) {}

  async invoiceCreated(stripe: Stripe, invoiceId: string): Promise<string | void> {
    const invoice = await stripe.invoices.retrieve(invoiceId);
    const subscription = invoice.parent?.subscription_details?.subscription;
    if (invoice.status !== 'draft' || !subscription) return 'not a draft subscription invoice';
    const customer = idOf(invoice.customer);
    const account = await this.db.getRepository(BillingAccount).findOneBy({ stripeCustomerId: customer ?? '' });
    if (!account) throw new UnmatchedStripeObject(`Stripe customer ${customer} of invoice ${invoice.id} belongs to no tenant`);
    const period = { start: new Date(invoice.period_start * 1000), end: new Date(invoice.period_end * 1000) };
    const card = await this.rates.forTenant(account.tenantId, new Date(period.end.getTime() - 1));
    const ledger = await periodLedger(this.db, account.tenantId, period, card);
    if (ledger.trueUp <= 0) return;
    const item = await stripe.invoiceItems.create(
      {
        customer: customer!,
        invoice: invoice.id,
        amount: ledger.trueUp,
        currency: card.currency,
        discountable: false,
        description: `Minimum commitment true-up (${card.commitmentMinor} committed)`,
        metadata: { kind: 'commitment_true_up', tenant_id: account.tenantId },
      },
      { idempotencyKey: `leoma-true-up-${invoice.id}` },
    );
    await this.db.transaction((tx) =>
      this.audit.record(tx, STRIPE_ACTOR, {
        tenantId: account.tenantId,
        action: 'billing.commitment_true_up',
        targetType: 'invoice',
        targetId: invoice.id!,
        after: { amount: ledger.trueUp, invoice_item: item.id, commitment: card.commitmentMinor },
      }),
    );
  }
}
