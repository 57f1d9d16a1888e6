import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { financeKey } from '../support/treasury.js';

/** The month close's refusals, in dry-run mode (no chain needed): order, unsettled burns, bad input, who may. */
describe('closing treasury months', () => {
  let app: TestApp;
  let finance: string;
  const close = async (period: string) => {
    const res = await app.request(`/v1/treasury/periods/${period}/close`, { method: 'POST', key: finance });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    app = await startTestApp();
    finance = await financeKey(app);
  });
  afterAll(() => app?.close());

  it('closes months in order: the first may be any ended month, then only the next one', async () => {
    // An allocation from before policies were kept (no version), in the month closed first.
    await app.sql(`INSERT INTO treasury_allocations (id, revenue_entry_id, tenant_id, kind, stripe_invoice_id, revenue_minor, currency, share_bps, amount_minor, created_at)
                   VALUES ('alc_old', 'rev_old', 'ten_old', 'invoice_paid', 'in_old', 10000, 'usd', 1000, 1000, '2020-01-10')`);
    expect((await close('2020-01')).status).toBe(201);
    const skipped = await close('2020-03');
    expect(skipped).toMatchObject({ status: 409, body: { code: 'period_out_of_order', next_period: '2020-02' } });
    expect((await close('2019-12')).body.code).toBe('period_already_closed');
    expect((await close('2020-02')).status).toBe(201);
    const listed = (await (await app.request('/v1/treasury/periods', { key: finance })).json()) as { data: { period: string; allocation_count: number }[] };
    expect(listed.data.map((p) => p.period)).toEqual(['2020-02', '2020-01']);
    // Version 1 is seeded on first read; the frozen month's allocation keeps no version (0 in its leaf).
    const policies = await app.request('/v1/treasury/policies', { key: finance });
    expect(policies.status).toBe(200);
    expect(((await policies.json()) as { in_effect: { version: number } }).in_effect.version).toBe(1);
    expect(await app.sql(`SELECT policy_version FROM treasury_allocations WHERE id = 'alc_old'`)).toEqual([{ policy_version: null }]);
  });

  it('refuses to close a month while a burn dated in it is planned or on its way, and closes it once the burn settled', async () => {
    await app.sql(
      `INSERT INTO treasury_burns (id, status, amount_rao, covered_minor, currency, netuid, created_at, updated_at) VALUES ('brn_pending', 'submitted', 3000000, 10, 'usd', 99, '2020-03-15', '2020-03-15')`,
    );
    expect((await close('2020-03')).body.code).toBe('period_has_unresolved_burns');
    await app.sql(`UPDATE treasury_burns SET status = 'planned' WHERE id = 'brn_pending'`);
    expect((await close('2020-03')).body.code).toBe('period_has_unresolved_burns');
    await app.sql(`UPDATE treasury_burns SET status = 'failed', failure_reason = 'abandoned_before_signing' WHERE id = 'brn_pending'`);
    expect((await close('2020-03')).status).toBe(201);
    await expect(app.sql(`UPDATE treasury_burns SET failure_reason = 'x' WHERE id = 'brn_pending'`)).rejects.toThrow(/period_closed/);
  });

  it('answers bad input and unknown months with stable codes, and only to finance and admins', async () => {
    expect((await close('2020-13')).body.code).toBe('validation_failed');
    const missing = await app.request('/v1/treasury/periods/2021-05/statement', { key: finance });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('period_not_found');
    expect(((await (await app.request('/v1/treasury/periods/2020-01/statement?format=xml', { key: finance })).json()) as { code: string }).code).toBe(
      'validation_failed',
    );
    const csv = await app.request('/v1/treasury/periods/2020-01/statement?format=csv', { key: finance });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text).toMatch(/^period,section,currency,item,amount\r\n/);
    expect(text).toContain('2020-01,currency,usd,allocated_minor,1000\r\n2020-01,currency,usd,funded_minor,0\r\n');
    expect(text).toContain('2020-01,tao,tao,opening_unspent_rao,0\r\n');
    const tenant = await app.tenant();
    expect((await app.request('/v1/treasury/periods/2020-04/close', { method: 'POST', key: tenant.key })).status).toBe(403);
    expect((await app.request('/v1/treasury/policies', { key: tenant.key })).status).toBe(403);
  });
});
