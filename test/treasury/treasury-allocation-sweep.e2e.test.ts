import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';
import { financeKey, fundFromChain } from '../support/treasury.js';
import { RevenueLedgerService } from '../../src/billing/revenue/revenue-ledger.service.js';

/**
 * Revenue is allocated by the worker on its schedule, or by a write that needs the allocations (a
 * funding); a treasury read never writes.
 */
describe('treasury: the allocation sweep runs in the worker or on write, never on a GET', () => {
  let app: TestApp;
  let key: string;
  let node: FakeSubtensor | undefined;
  let coldkey = '';

  /** Books a paid invoice in billing's ledger, as the Stripe webhook handler does, and nothing more. */
  const book = async (invoice: string, amountMinor: bigint) => {
    const db = app.api.get<DataSource>(getDataSourceToken());
    await db.transaction((m) =>
      app.api.get(RevenueLedgerService).record(m, {
        tenantId: 'ten_sweep',
        kind: 'invoice_paid',
        amountMinor,
        currency: 'usd',
        stripeObjectId: invoice,
        stripeInvoiceId: invoice,
        occurredAt: new Date(),
      }),
    );
  };
  const allocationRows = () => app.sql('SELECT revenue_entry_id, amount_minor::int AS amount FROM treasury_allocations ORDER BY id');
  const get = async (path: string) => {
    const res = await app.request(path, { key });
    expect(res.status, path).toBe(200);
    return (await res.json()) as Record<string, any>;
  };

  beforeAll(async () => {
    // A chain only to read fundings' transfers from (live burns stay off).
    const chain: Record<string, string> = {};
    if (hasMetadata()) {
      await cryptoWaitReady();
      coldkey = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice').address;
      node = new FakeSubtensor();
      Object.assign(chain, { SUBTENSOR_WS_URL: await node.start(), TREASURY_COLDKEY: coldkey });
    } else delete process.env.SUBTENSOR_WS_URL;
    // No worker yet: one is started once the reads have been checked.
    app = await startTestApp({ env: { TREASURY_BURN_SHARE_BPS: '1000', TREASURY_ALLOCATION_INTERVAL_MS: '100', ...chain } });
    key = await financeKey(app);
  });
  afterAll(async () => {
    await app?.close();
    await node?.stop();
  });

  it('summary, reconciliation and allocations leave the allocation tables as they were', async () => {
    await book('in_sweep_1', 20_000n);
    for (const path of ['/v1/treasury/summary', '/v1/treasury/reconciliation', '/v1/treasury/allocations']) await get(path);
    expect(await allocationRows()).toEqual([]);
    expect((await get('/v1/treasury/allocations')).data).toEqual([]);
    expect((await get('/v1/treasury/summary')).currencies).toEqual([expect.objectContaining({ currency: 'usd', revenue_minor: 20_000, allocated_minor: 0 })]);
    // With no worker to sweep, reconciliation names the entry once it has waited two sweep intervals.
    await new Promise((r) => setTimeout(r, 300));
    const rec = await get('/v1/treasury/reconciliation');
    expect(rec.checks.find((c: { name: string }) => c.name === 'every_revenue_entry_allocated')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^1 ledger entries without an allocation/),
    });
    expect(await allocationRows()).toEqual([]);
  });

  it.skipIf(!hasMetadata())('a funding allocates what it is checked against first (a write may sweep)', async () => {
    const res = await fundFromChain(app, key, node!, { coldkey, rao: 50_000_000n, fiatMinor: 2_000, reference: 'sweep-on-write' });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await allocationRows()).toEqual([expect.objectContaining({ amount: 2_000 })]);
    expect((await get('/v1/treasury/summary')).currencies).toEqual([
      expect.objectContaining({ currency: 'usd', allocated_minor: 2_000, funded_minor: 2_000, unfunded_minor: 0 }),
    ]);
  });

  it('the worker allocates new revenue on its schedule, and the reports then show it', async () => {
    const before = (await allocationRows()).length;
    await book('in_sweep_2', 30_000n);
    await get('/v1/treasury/summary');
    expect(await allocationRows()).toHaveLength(before);
    await app.startWorker();
    const deadline = Date.now() + 10_000;
    while ((await allocationRows()).length < 2) {
      if (Date.now() > deadline) throw new Error('the worker did not allocate the second invoice');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await allocationRows()).map((r) => r.amount)).toEqual([2_000, 3_000]);
    expect((await get('/v1/treasury/summary')).currencies).toEqual([
      expect.objectContaining({ currency: 'usd', revenue_minor: 50_000, allocated_minor: 5_000 }),
    ]);
    expect((await get('/v1/treasury/allocations')).data).toHaveLength(2);
    const rec = await get('/v1/treasury/reconciliation');
    expect(rec.balanced, JSON.stringify(rec.checks)).toBe(true);
  });
});
