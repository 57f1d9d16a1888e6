import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { allocate, financeKey } from '../support/treasury.js';
import { AllocationsService, shareOf } from '../../src/treasury/allocations.service.js';
import { brokenTreasuryInvariants } from '../reliability/invariants.js';

describe('treasury: bad input gets a clear problem', () => {
  let app: TestApp;
  let key: string;
  const funding = (json: Record<string, unknown>) => app.request('/v1/treasury/fundings', { method: 'POST', key, json: { amount_rao: '25000000', usd_cents: 1_000, rate: '400', source: 'otc', external_reference: 'ref-1', ...json } });

  beforeAll(async () => {
    delete process.env.SUBTENSOR_WS_URL;
    // With a worker: a burn run is the worker's to do.
    app = await startTestApp({ worker: true });
    key = await financeKey(app);
    await allocate(app, { amountMinor: 20_000n });
  });
  afterAll(() => app?.close());

  it('rounds shares toward zero, so a full refund takes back exactly what was allocated', () => {
    expect(shareOf(999n, 1_000)).toBe(99n);
    expect(shareOf(-999n, 1_000)).toBe(-99n);
    expect(shareOf(10_000n, 1_000)).toBe(1_000n);
  });

  it('validates a funding field by field', async () => {
    const res = await funding({ amount_rao: '1.5', usd_cents: -3, rate: 'abc', source: '', external_reference: undefined });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; errors: { param: string }[] };
    expect(body.code).toBe('validation_failed');
    expect([...new Set(body.errors.map((e) => e.param))].sort()).toEqual(['amount_rao', 'external_reference', 'rate', 'source', 'usd_cents']);
  });

  it('refuses amounts that disagree with the rate, more than is allocated, and a reference twice', async () => {
    expect(await (await funding({ rate: '500' })).json()).toMatchObject({ status: 422, code: 'funding_rate_mismatch' });
    expect(await (await funding({ amount_rao: '75000000', usd_cents: 3_000 })).json()).toMatchObject({ status: 422, code: 'funding_exceeds_allocations' });
    const created = (await (await funding({})).json()) as { id: string; created_by: string };
    expect(created.id).toMatch(/^fnd_/);
    const audit = (await (await app.request('/v1/admin/audit-log?limit=5', { key: app.operatorKey })).json()) as { data: Record<string, any>[] };
    expect(audit.data.find((e) => e.target.id === created.id)).toMatchObject({ action: 'treasury_funding.created' });
    expect(await (await funding({ amount_rao: '25000000', usd_cents: 1_000 })).json()).toMatchObject({ status: 409, code: 'funding_duplicate_reference' });
  });

  it('answers 404 for an unknown burn and 409 when a dry-run burn is verified', async () => {
    expect(await (await app.request('/v1/treasury/burns/brn_nope', { key })).json()).toMatchObject({ status: 404, code: 'burn_not_found' });
    const run = (await (await app.request('/v1/treasury/burns', { method: 'POST', key })).json()) as { burn: { id: string; status: string } };
    expect(run.burn.status).toBe('dry_run');
    expect(await (await app.request(`/v1/treasury/burns/${run.burn.id}/verify`, { method: 'POST', key })).json()).toMatchObject({ status: 409, code: 'burn_not_on_chain' });
    expect(await (await app.request('/v1/treasury/burns/export?format=xml', { key })).json()).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('allocates an entry another process committed late with an older id: nothing is skipped', async () => {
    const entry = (id: string, invoice: string) =>
      app.sql(`INSERT INTO revenue_entries (id, tenant_id, kind, amount_minor, currency, stripe_object_id, stripe_invoice_id, occurred_at) VALUES ($1, 'ten_test', 'invoice_paid', 5000, 'usd', $2, $2, now())`, [id, invoice]);
    // A fast process commits its entry first; a slower one (an earlier id, or a clock behind) commits after the allocator ran.
    await entry('rev_7zzzzzzzzzzzzzzzzzzzzzzzzz', 'in_fast');
    await app.api.get(AllocationsService).sweep();
    await entry('rev_00000000000000000000000000', 'in_slow');
    expect(await app.api.get(AllocationsService).sweep()).toBe(1);
    const rows = await app.sql(`SELECT r.stripe_object_id FROM revenue_entries r WHERE NOT EXISTS (SELECT 1 FROM treasury_allocations a WHERE a.revenue_entry_id = r.id)`);
    expect(rows).toEqual([]);
    expect(await brokenTreasuryInvariants(app)).toEqual([]);
  });
});
