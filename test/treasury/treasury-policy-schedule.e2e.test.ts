import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { allocate, financeKey } from '../support/treasury.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The burn schedule is the policy's: a new version with no schedule stops the worker's runs without a restart. */
describe('the burn schedule follows the policy in effect', () => {
  let app: TestApp;
  let finance: string;
  const dryRuns = async () => (await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM treasury_burns WHERE status = 'dry_run'`))[0]!.n;

  beforeAll(async () => {
    // Version 1 from the settings: a run every 300 ms (dry-run mode: each run plans and records a dry_run burn).
    app = await startTestApp({ worker: true, env: { TREASURY_BURN_INTERVAL_MS: '300' } });
    finance = await financeKey(app);
  });
  afterAll(() => app?.close());

  it('runs every burn_interval_ms of version 1, and stops once version 2 sets no schedule', async () => {
    await allocate(app, { amountMinor: 50_000n });
    expect((await app.request('/v1/treasury/fundings', { method: 'POST', key: finance, json: { amount_rao: '12500000', usd_cents: 5_000, rate: '4000', source: 'otc', external_reference: 'sched-1' } })).status).toBe(201);
    for (let i = 0; (await dryRuns()) < 2 && i < 100; i++) await pause(100);
    expect(await dryRuns()).toBeGreaterThanOrEqual(2);
    const v2 = await app.request('/v1/treasury/policies', { method: 'POST', key: finance, json: { share_bps: 1000, burn_interval_ms: 0, max_slippage_bps: 100, min_burn_rao: '3000000', reason: 'manual runs only' } });
    expect(v2.status).toBe(201);
    // A pass already scheduled may still run once; after it the worker only reads the policy again.
    await pause(800);
    const settled = await dryRuns();
    await pause(1_500);
    expect(await dryRuns()).toBe(settled);
  });
});
