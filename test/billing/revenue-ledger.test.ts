import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../support/isolation.js';
import { runMigrations } from '../../src/app/database/migrate.js';
import { dataSourceOptions } from '../../src/app/database/data-source-options.js';
import { RevenueLedgerService } from '../../src/billing/revenue/revenue-ledger.service.js';

let db: TestDatabase;
let ds: DataSource;
let ledger: RevenueLedgerService;
beforeAll(async () => {
  db = await createTestDatabase();
  await runMigrations(db.url);
  ds = await new DataSource(dataSourceOptions(db.url, { poolMax: 2 })).initialize();
  ledger = new RevenueLedgerService(ds);
});
afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const paid = (id: string, amount = 4900) => ({
  tenantId: 'ten_a',
  kind: 'invoice_paid' as const,
  amountMinor: amount,
  currency: 'usd',
  stripeObjectId: id,
  stripeInvoiceId: id,
  periodStart: new Date('2026-11-01T00:00:00Z'),
  periodEnd: new Date('2026-12-01T00:00:00Z'),
  occurredAt: new Date('2026-12-01T01:00:00Z'),
});

describe('revenue ledger', () => {
  it('records an entry once per (kind, Stripe object), inside the caller transaction', async () => {
    expect(await ds.transaction((m) => ledger.record(m, paid('in_1')))).toBe(true);
    expect(await ds.transaction((m) => ledger.record(m, paid('in_1', 9999)))).toBe(false);
    // A rolled-back transaction leaves nothing behind.
    await expect(
      ds.transaction(async (m) => {
        await ledger.record(m, paid('in_rolled_back'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    // The same Stripe id under another kind is a different movement.
    expect(await ds.transaction((m) => ledger.record(m, { ...paid('in_1'), kind: 'refund', amountMinor: -100 }))).toBe(true);
    const rows = await ds.query(`SELECT kind, amount_minor, currency, stripe_object_id FROM revenue_entries ORDER BY id`);
    expect(rows).toEqual([
      { kind: 'invoice_paid', amount_minor: '4900', currency: 'usd', stripe_object_id: 'in_1' },
      { kind: 'refund', amount_minor: '-100', currency: 'usd', stripe_object_id: 'in_1' },
    ]);
  });

  it('refuses a wrong sign, a float-like amount and an uppercase currency', async () => {
    await expect(ds.transaction((m) => ledger.record(m, { ...paid('re_x'), kind: 'refund', amountMinor: 100 }))).rejects.toThrow(/negative/);
    await expect(ds.transaction((m) => ledger.record(m, paid('in_f', 1.5)))).rejects.toThrow();
    await expect(ds.transaction((m) => ledger.record(m, { ...paid('in_c'), currency: 'USD' }))).rejects.toThrow(/lowercase/);
  });

  it('lists after a cursor in id order, with rev_ ids', async () => {
    for (const n of [2, 3, 4]) await ds.transaction((m) => ledger.record(m, paid(`in_${n}`)));
    const all = await ledger.listAfter(null, 100);
    expect(all.map((e) => e.stripeObjectId)).toEqual(['in_1', 'in_1', 'in_2', 'in_3', 'in_4']);
    expect(all.every((e) => /^rev_[0-9a-z]{26}$/.test(e.id))).toBe(true);
    const page = await ledger.listAfter(all[1]!.id, 2);
    expect(page.map((e) => e.stripeObjectId)).toEqual(['in_2', 'in_3']);
    expect(await ledger.listAfter(all[4]!.id, 10)).toEqual([]);
  });
});
