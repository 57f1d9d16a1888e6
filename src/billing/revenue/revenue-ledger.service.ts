import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThan, type EntityManager } from 'typeorm';
import { newId } from '../../platform/http/ids.js';
import { RevenueEntry, type RevenueKind } from './revenue-entry.entity.js';

export interface NewRevenueEntry {
  tenantId: string;
  kind: RevenueKind;
  /** Signed integer minor units (negative for refunds and lost disputes). */
  amountMinor: number | bigint;
  currency: string;
  stripeObjectId: string;
  stripeInvoiceId?: string | null;
  periodStart?: Date | null;
  periodEnd?: Date | null;
  occurredAt: Date;
}

/** Arbitrary constant naming the ledger's writer lock. */
const REVENUE_WRITE_LOCK = 0x7265760;

const SIGN: Record<RevenueKind, 1 | -1> = { invoice_paid: 1, credit_purchase: 1, refund: -1, dispute_lost: -1 };

/** Writes and reads the revenue ledger. The treasury reads it through `listAfter`. */
@Injectable()
export class RevenueLedgerService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts inside the caller's transaction; a second entry for the same (kind, Stripe object) is
   * ignored so webhook redeliveries cannot double-count. Returns whether the row is new.
   */
  async record(manager: EntityManager, entry: NewRevenueEntry): Promise<boolean> {
    const amount = BigInt(entry.amountMinor);
    if (amount !== 0n && (amount > 0n ? 1 : -1) !== SIGN[entry.kind]) {
      throw new Error(`revenue entry ${entry.kind} must be ${SIGN[entry.kind] > 0 ? 'positive' : 'negative'}, got ${amount}`);
    }
    if (!/^[a-z]{3}$/.test(entry.currency)) throw new Error(`currency must be lowercase ISO 4217, got ${entry.currency}`);
    // Readers page by id: serialising writers until commit makes id order equal commit order, so a
    // cursor never passes an entry that commits later with a smaller id. Paid invoices are rare.
    await manager.query('SELECT pg_advisory_xact_lock($1)', [REVENUE_WRITE_LOCK]);
    const rows: unknown[] = await manager.query(
      `INSERT INTO revenue_entries (id, tenant_id, kind, amount_minor, currency, stripe_object_id, stripe_invoice_id, period_start, period_end, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (kind, stripe_object_id) DO NOTHING RETURNING id`,
      [
        newId('revenueEntry'),
        entry.tenantId,
        entry.kind,
        amount.toString(),
        entry.currency,
        entry.stripeObjectId,
        entry.stripeInvoiceId ?? null,
        entry.periodStart ?? null,
        entry.periodEnd ?? null,
        entry.occurredAt,
      ],
    );
    return rows.length === 1;
  }

  /** Entries after `cursorId` (exclusive; null = from the start) in id order, which is creation order. */
  listAfter(cursorId: string | null, limit: number): Promise<RevenueEntry[]> {
    return this.dataSource.getRepository(RevenueEntry).find({
      where: cursorId ? { id: MoreThan(cursorId) } : {},
      order: { id: 'ASC' },
      take: Math.min(Math.max(limit, 1), 1000),
    });
  }
}
