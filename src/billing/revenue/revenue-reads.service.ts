import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { paginate } from '../../platform/http/pagination.js';
import { RevenueEntry } from './revenue-entry.entity.js';
import { monthRange } from '../../usage/index.js';
import type { RevenueCurrencyTotals, RevenueEntryObject, RevenueListQuery, RevenueSummaryObject } from './revenue.dto.js';

/** Rows per database round trip of a CSV export. */
const EXPORT_PAGE = 500;

export const REVENUE_CSV_COLUMNS = [
  'id',
  'tenant_id',
  'kind',
  'amount_minor',
  'currency',
  'stripe_object_id',
  'stripe_invoice_id',
  'period_start',
  'period_end',
  'occurred_at',
  'created_at',
] as const satisfies readonly (keyof RevenueEntryObject)[];

export function presentRevenueEntry(e: RevenueEntry): RevenueEntryObject {
  return {
    id: e.id,
    object: 'revenue_entry',
    tenant_id: e.tenantId,
    kind: e.kind,
    amount_minor: Number(e.amountMinor),
    currency: e.currency,
    stripe_object_id: e.stripeObjectId,
    stripe_invoice_id: e.stripeInvoiceId,
    period_start: e.periodStart?.toISOString() ?? null,
    period_end: e.periodEnd?.toISOString() ?? null,
    occurred_at: e.occurredAt.toISOString(),
    created_at: e.createdAt.toISOString(),
  };
}

/**
 * Finance's reads of the revenue ledger: filtered pages, a streamed export and a monthly summary.
 * Reads are not audited (nothing changes); the ledger itself is written only by RevenueLedgerService.
 */
@Injectable()
export class RevenueReads {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(q: RevenueListQuery): Promise<{ rows: RevenueEntry[]; hasMore: boolean }> {
    return paginate(this.filtered(q), q);
  }

  /** Every matching entry, oldest first, a page at a time (keyset on the id, so nothing is read twice or skipped). */
  async *exportPages(q: RevenueListQuery): AsyncGenerator<RevenueEntryObject[]> {
    let after: string | null = null;
    for (;;) {
      const qb = this.filtered(q).orderBy('e.id', 'ASC').take(EXPORT_PAGE);
      if (after) qb.andWhere('e.id > :after', { after });
      const rows = await qb.getMany();
      if (rows.length) yield rows.map(presentRevenueEntry);
      if (rows.length < EXPORT_PAGE) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  async summary(period: string, tenantId?: string): Promise<RevenueSummaryObject> {
    const { start, end } = monthRange(period);
    const rows: Record<string, string>[] = await this.db.query(
      `SELECT currency,
              COALESCE(SUM(amount_minor) FILTER (WHERE kind IN ('invoice_paid', 'credit_purchase')), 0) AS gross,
              COALESCE(SUM(amount_minor) FILTER (WHERE kind = 'refund'), 0) AS refunds,
              COALESCE(SUM(amount_minor) FILTER (WHERE kind = 'dispute_lost'), 0) AS disputes,
              SUM(amount_minor) AS net, count(*) AS count,
              count(*) FILTER (WHERE kind = 'invoice_paid') AS invoices_paid,
              count(*) FILTER (WHERE kind = 'refund') AS refund_count,
              count(*) FILTER (WHERE kind = 'dispute_lost') AS dispute_count
         FROM revenue_entries
        WHERE occurred_at >= $1 AND occurred_at < $2 AND ($3::text IS NULL OR tenant_id = $3)
        GROUP BY currency ORDER BY currency`,
      [start, end, tenantId ?? null],
    );
    const currencies: RevenueCurrencyTotals[] = rows.map((r) => ({
      currency: r.currency!,
      gross_minor: Number(r.gross),
      refunds_minor: Number(r.refunds),
      disputes_minor: Number(r.disputes),
      net_minor: Number(r.net),
      count: Number(r.count),
      invoices_paid: Number(r.invoices_paid),
      refunds: Number(r.refund_count),
      disputes_lost: Number(r.dispute_count),
    }));
    return { object: 'revenue_summary', period, start: start.toISOString(), end: end.toISOString(), tenant_id: tenantId ?? null, currencies };
  }

  private filtered(q: RevenueListQuery): SelectQueryBuilder<RevenueEntry> {
    const qb = this.db.getRepository(RevenueEntry).createQueryBuilder('e');
    if (q.tenant_id) qb.andWhere('e.tenantId = :tenant', { tenant: q.tenant_id });
    if (q.kind) qb.andWhere('e.kind = :kind', { kind: q.kind });
    if (q.currency) qb.andWhere('e.currency = :currency', { currency: q.currency });
    if (q.occurred_from) qb.andWhere('e.occurredAt >= :from', { from: new Date(q.occurred_from) });
    if (q.occurred_to) qb.andWhere('e.occurredAt < :to', { to: new Date(q.occurred_to) });
    if (q.period) {
      const { start, end } = monthRange(q.period);
      qb.andWhere('e.occurredAt >= :pstart AND e.occurredAt < :pend', { pstart: start, pend: end });
    }
    return qb;
  }
}
