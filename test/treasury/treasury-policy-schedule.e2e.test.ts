import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';
import { allocate, financeKey, fundFromChain } from '../support/treasury.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The burn schedule is the policy's: a new version with no schedule stops the worker's runs without a restart. */
describe.skipIf(!hasMetadata())('the burn schedule follows the policy in effect', () => {
  let node: FakeSubtensor;
  let app: TestApp;
  let finance: string;
  let coldkey: string;
  const dryRuns = async () => (await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM treasury_burns WHERE status = 'dry_run'`))[0]!.n;

  beforeAll(async () => {
    await cryptoWaitReady();
    coldkey = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice').address;
    // Fundings are proven by their transfer into the coldkey on this node.
    node = new FakeSubtensor();
    // Version 1 from the settings: a run every 300 ms (dry-run mode: each run plans and records a dry_run burn).
    app = await startTestApp({
      worker: true,
      env: { SUBTENSOR_WS_URL: await node.start(), SUBNET_NETUID: '99', TREASURY_COLDKEY: coldkey, TREASURY_BURN_INTERVAL_MS: '300' },
    });
    finance = await financeKey(app);
  });
  afterAll(async () => {
    await app?.close();
    await node?.stop();
  });

  it('runs every burn_interval_ms of version 1, and stops once version 2 sets no schedule', async () => {
    await allocate(app, { amountMinor: 50_000n });
    expect((await fundFromChain(app, finance, node, { coldkey, rao: 12_500_000n, fiatMinor: 5_000, reference: 'sched-1' })).status).toBe(201);
    for (let i = 0; (await dryRuns()) < 2 && i < 100; i++) await pause(100);
    expect(await dryRuns()).toBeGreaterThanOrEqual(2);
    const v2 = await app.request('/v1/treasury/policies', {
      method: 'POST',
      key: finance,
      json: { share_bps: 1000, burn_interval_ms: 0, max_slippage_bps: 100, min_burn_rao: '3000000', reason: 'manual runs only' },
    });
    expect(v2.status).toBe(201);
    // A pass already scheduled may still run once; after it the worker only reads the policy again.
    await pause(800);
    const settled = await dryRuns();
    await pause(1_500);
    expect(await dryRuns()).toBe(settled);
  });
});
