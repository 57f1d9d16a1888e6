import type Stripe from 'stripe';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Gauge } from 'prom-client';
import { RateCards } from '../contracts/index.js';
import { monthRange } from '../usage/index.js';
import { metricsRegistry } from '../platform/metrics/registry.js';
import { BillingAccount } from './billing-account.entity.js';
import { StripeClient } from './stripe/stripe-client.js';
import { periodLedger, type PeriodLedger } from './period-ledger.js';

const differencesGauge = new Gauge({
  name: 'leoma_billing_money_reconciliation_differences',
  help: 'Differences the last money reconciliation found between finalised Stripe invoices and our ledger (0: every invoice equals the ledger to the cent).',
  registers: [metricsRegistry],
});

export interface MoneyDifference {
  tenant_id: string;
  invoice: string;
  /** Which amount disagrees: a line kind (base, usage, commitment_true_up), discount, subtotal, total, or credits. */
  line: string;
  stripe: number;
  ours: number;
  /** The videos behind a usage difference whose stored cost is not what its own seconds and rate make. */
  videos: { video_id: string; amount: number; expected: number }[];
  detail: string;
}

export interface InvoiceCheck {
  tenant_id: string;
  invoice: string;
  period_start: string;
  period_end: string;
  currency: string;
  stripe: { subtotal: number; discount: number; tax: number; total: number; credits: number; amount_due: number; lines: Record<string, number> };
  ours: { subtotal: number; discount: number; total: number; credits: number; lines: Record<string, number> };
}

const idOf = (v: string | { id?: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

/**
 * Reconciliation in money: for every finalised invoice of a period, Stripe's amounts (lines,
 * subtotal, discounts, tax kept apart, total, customer credit applied) against what our ledger
 * says for the same tenant and invoice period (rate card base, per-video costs, commitment
 * true-up, discount, credits drawn). Every difference is listed with the line and, for usage, the
 * videos whose stored cost does not add up. Tax is Stripe's alone (we compute none): shown, never a difference.
 */
@Injectable()
export class MoneyReconcileService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly stripe: StripeClient,
    private readonly rates: RateCards,
  ) {}

  async run(period: string) {
    const stripe = this.stripe.require();
    const range = monthRange(period);
    const invoices: InvoiceCheck[] = [];
    const differences: MoneyDifference[] = [];
    const priceKinds = new Map<string, string>();
    for (const account of await this.db.getRepository(BillingAccount).find({ order: { tenantId: 'ASC' } })) {
      for await (const inv of stripe.invoices.list({ customer: account.stripeCustomerId, limit: 100 })) {
        if (inv.status === 'draft' || inv.status === 'void' || !inv.id) continue;
        const start = new Date(inv.period_start * 1000);
        if (start < range.start || start >= range.end) continue;
        const card = await this.rates.forTenant(account.tenantId, new Date(inv.period_end * 1000 - 1));
        const ledger = await periodLedger(this.db, account.tenantId, { start, end: new Date(inv.period_end * 1000) }, card);
        const check = await this.check(stripe, account.tenantId, inv, ledger, priceKinds);
        invoices.push(check);
        differences.push(...differencesOf(check, ledger));
      }
    }
    differencesGauge.set(differences.length);
    return { object: 'billing_money_reconciliation' as const, period, invoices, differences };
  }

  private async check(stripe: Stripe, tenantId: string, inv: Stripe.Invoice, ledger: PeriodLedger, priceKinds: Map<string, string>): Promise<InvoiceCheck> {
    const lines: Record<string, number> = {};
    for await (const line of stripe.invoices.listLineItems(inv.id!, { limit: 100 })) {
      const kind = await this.kindOf(stripe, line, priceKinds);
      lines[kind] = (lines[kind] ?? 0) + line.amount;
    }
    const discount = (inv.total_discount_amounts ?? []).reduce((s, d) => s + d.amount, 0);
    const tax = (inv.total_taxes ?? []).reduce((s, t) => s + t.amount, 0);
    const ours: Record<string, number> = {};
    for (const l of ledger.lines) {
      const kind = l.resolution ? `usage_${l.resolution}` : l.kind;
      ours[kind] = (ours[kind] ?? 0) + l.amount;
    }
    return {
      tenant_id: tenantId,
      invoice: inv.id!,
      period_start: new Date(inv.period_start * 1000).toISOString(),
      period_end: new Date(inv.period_end * 1000).toISOString(),
      currency: inv.currency,
      // Credit applied: how much of the customer's (negative) balance this invoice used.
      stripe: {
        subtotal: inv.subtotal,
        discount,
        tax,
        total: inv.total,
        credits: (inv.ending_balance ?? 0) - inv.starting_balance,
        amount_due: inv.amount_due,
        lines,
      },
      ours: { subtotal: ledger.subtotal, discount: ledger.discount, total: ledger.total, credits: ledger.credits, lines: ours },
    };
  }

  /** base, usage, usage_<resolution> (a surcharge) or commitment_true_up / invoice_item, from the line's price or invoice item. */
  private async kindOf(stripe: Stripe, line: Stripe.InvoiceLineItem, cache: Map<string, string>): Promise<string> {
    const item = line.parent?.invoice_item_details?.invoice_item;
    if (item) {
      if (!cache.has(item))
        cache.set(item, (await stripe.invoiceItems.retrieve(item)).metadata?.kind === 'commitment_true_up' ? 'commitment_true_up' : 'invoice_item');
      return cache.get(item)!;
    }
    const priceId = idOf(line.pricing?.price_details?.price as string | { id: string } | undefined);
    if (!priceId) return 'other';
    if (!cache.has(priceId)) {
      const p = await stripe.prices.retrieve(priceId);
      cache.set(priceId, p.recurring?.usage_type !== 'metered' ? 'base' : p.metadata?.resolution ? `usage_${p.metadata.resolution}` : 'usage');
    }
    return cache.get(priceId)!;
  }
}

/** Each amount that differs, with the videos behind a usage difference. */
function differencesOf(c: InvoiceCheck, ledger: PeriodLedger): MoneyDifference[] {
  const out: MoneyDifference[] = [];
  // A stored cost that its own priced seconds do not make: changed after it was priced (or priced wrong).
  const suspects = ledger.rows
    .filter((r) => r.amount_minor !== r.overage_seconds * r.unit_amount_minor)
    .map((r) => ({ video_id: r.video_id, amount: r.amount_minor, expected: r.overage_seconds * r.unit_amount_minor }));
  const unmetered = ledger.rows.filter((r) => !r.meter_event_sent_at).map((r) => ({ video_id: r.video_id, amount: r.amount_minor, expected: r.amount_minor }));
  const diff = (line: string, stripe: number, ours: number, videos: MoneyDifference['videos'], detail: string) => {
    if (stripe !== ours)
      out.push({ tenant_id: c.tenant_id, invoice: c.invoice, line, stripe, ours, videos, detail: `${detail}: Stripe ${stripe}, ours ${ours} (${c.currency})` });
  };
  for (const kind of new Set([...Object.keys(c.stripe.lines), ...Object.keys(c.ours.lines)])) {
    const usage = kind.startsWith('usage');
    diff(
      kind,
      c.stripe.lines[kind] ?? 0,
      c.ours.lines[kind] ?? 0,
      usage ? [...suspects, ...unmetered] : [],
      usage ? 'usage line vs the sum of our per-video costs' : `${kind} line`,
    );
  }
  diff('discount', c.stripe.discount, c.ours.discount, [], 'discount');
  diff('subtotal', c.stripe.subtotal, c.ours.subtotal, [], 'subtotal');
  diff('total', c.stripe.total - c.stripe.tax, c.ours.total, [], 'total before tax');
  diff('credits', c.stripe.credits, c.ours.credits, [], 'prepaid credit applied');
  return out;
}
