import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { chromium } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/isolation.js';
import { runMigrations } from '../../src/app/database/migrate.js';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';
import { allocate, financeKey, waitForBurn, fundFromChain } from '../support/treasury.js';

const CHROMIUM = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
})();

describe.skipIf(!hasMetadata())('public proof of burn: dry run, then a test-node burn', () => {
  let node: FakeSubtensor;
  let db: TestDatabase;
  let app: TestApp;
  let key: string;
  let chainEnv: Record<string, string>;

  beforeAll(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    node = new FakeSubtensor();
    node.author.fund(keyring.addFromUri('//Alice').address, 5_000_000_000n);
    chainEnv = {
      SUBTENSOR_WS_URL: await node.start(),
      TREASURY_BURNS_LIVE: 'true',
      TREASURY_SIGNER_SECRET: '//Alice',
      TREASURY_COLDKEY: keyring.addFromUri('//Alice').address,
      TREASURY_HOTKEY: keyring.addFromUri('//Bob').address,
      TREASURY_POLL_MS: '20',
      TREASURY_EXPLORER_URL: 'https://explorer.example/extrinsic/{block}-{index}',
      TREASURY_ONCHAIN_MEMO: 'true',
    };
    db = await createTestDatabase();
    await runMigrations(db.url);
    // Burns not live and no key: the default, dry-run mode. The chain is read all the same: a funding is proven by its transfer.
    delete process.env.TREASURY_SIGNER_SECRET;
    delete process.env.TREASURY_BURNS_LIVE;
    app = await startTestApp({ db, worker: true, env: { SUBTENSOR_WS_URL: chainEnv.SUBTENSOR_WS_URL!, TREASURY_COLDKEY: chainEnv.TREASURY_COLDKEY! } });
    key = await financeKey(app);
  });
  afterAll(async () => {
    await app?.close();
    await node?.stop();
    await db?.drop();
  });

  it('with live burns off and no key the job plans a dry_run burn and signs nothing', async () => {
    await allocate(app, { amountMinor: 50_000n, stripeInvoiceId: 'in_pub_1', tenantId: 'ten_secret_customer' });
    const funded = await fundFromChain(app, key, node, { coldkey: chainEnv.TREASURY_COLDKEY!, rao: 12_500_000n, fiatMinor: 5_000, reference: 'pub-1' });
    expect(funded.status).toBe(201);
    const res = await app.request('/v1/treasury/burns', { method: 'POST', key });
    const run = (await res.json()) as { result: string; dry_run: boolean; burn: Record<string, any> };
    expect(run).toMatchObject({ result: 'planned', dry_run: true, burn: { status: 'dry_run', amount_rao: '12500000', extrinsic_hash: null, signer: null } });
    expect(node.author.submissions).toHaveLength(0);
    const summary = (await (await app.request('/v1/treasury/summary', { key })).json()) as Record<string, any>;
    expect(summary).toMatchObject({ dry_run: true, pending_rao: '12500000', burns_by_status: { dry_run: 1 } });
  });

  it('then, live against the test node, burns the same funds once, with the allocations hash as an on-chain memo', async () => {
    await app.close();
    app = await startTestApp({ db, env: chainEnv, worker: true });
    // The live worker's start-up run burns the funds at once; a run asked for meanwhile finds the lock held or nothing left.
    const asked = await app.request('/v1/treasury/burns', { method: 'POST', key });
    expect([202, 409]).toContain(asked.status);
    if (asked.status === 202) expect(((await asked.json()) as { dry_run: boolean }).dry_run).toBe(false);
    let live: Record<string, any> | undefined;
    for (let i = 0; !live && i < 200; i++) {
      const list = (await (await app.request('/v1/treasury/burns', { key })).json()) as { data: Record<string, any>[] };
      live = list.data.find((b) => b.status !== 'dry_run');
      if (!live) await new Promise((r) => setTimeout(r, 25));
    }
    const burn = await waitForBurn(app, key, live!.id, (b) => b.status === 'finalized');
    expect(burn.amount_rao).toBe('12500000');
    expect(node.author.submissions.map((x) => x.call)).toEqual(['utility.batchAll']);
    const sent = node.registry.createType('Extrinsic', node.author.submissions[0]!.hex).method.toHuman() as {
      args: { calls: { method: string; args: Record<string, string> }[] };
    };
    expect(sent.args.calls.map((c) => c.method)).toEqual(['addStakeBurn', 'remarkWithEvent']);
    expect(sent.args.calls[1]!.args.remark).toBe(`leoma-burn:v1:${burn.id}:${burn.memo_hash}`);
    const verified = (await (await app.request(`/v1/treasury/burns/${burn.id}/verify`, { method: 'POST', key })).json()) as Record<string, any>;
    expect(verified.verification).toMatchObject({ ok: true, mismatches: [] });
    // The memo is checked too: a record whose allocations hash was changed no longer matches the chain's Remarked event.
    await app.sql('UPDATE treasury_burns SET memo_hash = $1 WHERE id = $2', ['0'.repeat(64), burn.id]);
    const tampered = (await (await app.request(`/v1/treasury/burns/${burn.id}/verify`, { method: 'POST', key })).json()) as Record<string, any>;
    expect(tampered.verification.mismatches.map((m: { field: string }) => m.field)).toEqual(['memo']);
    await app.sql('UPDATE treasury_burns SET memo_hash = $1 WHERE id = $2', [burn.memo_hash, burn.id]);
  });

  it('GET /v1/public/burns shows on-chain facts and totals, no customer data', async () => {
    const res = await app.request('/v1/public/burns');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toMatch(/ten_|in_pub_1|tenant|invoice|alc_/);
    const body = JSON.parse(text) as { data: Record<string, any>[]; totals: Record<string, any> };
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ status: 'finalized', tao_spent_rao: '12500000', extrinsic_index: 1 });
    expect(body.data[0]!.explorer_url).toBe(`https://explorer.example/extrinsic/${body.data[0]!.block_number}-1`);
    expect(body.totals).toMatchObject({ burns: 1, tao_spent_rao: '12500000', alpha_burned: body.data[0]!.alpha_burned });
  });

  it('the /burns page renders the rows, totals and chart in headless Chromium, without JavaScript', async () => {
    const [burn] = await app.sql('SELECT block_number, extrinsic_index, alpha_burned FROM treasury_burns WHERE status = $1', ['finalized']);
    if (!CHROMIUM) throw new Error('chromium is missing: npm test installs it (scripts/ensure-system-deps.sh), or apt-get install chromium');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
      const res = await page.goto(`${app.url}/burns`);
      expect(res!.status()).toBe(200);
      expect(await page.locator('#burns tbody tr[data-burn]').count()).toBe(1);
      expect(await page.locator('#total-burns').innerText()).toMatch(/^1\s/);
      expect(await page.locator('#total-tao').innerText()).toMatch(/^0\.0125\s/);
      const link = page.locator('#burns tbody a');
      expect(await link.getAttribute('href')).toBe(`https://explorer.example/extrinsic/${burn!.block_number}-${burn!.extrinsic_index}`);
      expect(await page.locator('svg rect.tao').count()).toBe(1);
      expect(await page.locator('#dry-runs').innerText()).toMatch(/^1 dry-run/);
      expect(await page.content()).not.toMatch(/in_pub_1|ten_secret_customer/);
      mkdirSync('test/artifacts', { recursive: true });
      await page.screenshot({ path: 'test/artifacts/burns-page.png', fullPage: true });
      expect(existsSync('test/artifacts/burns-page.png')).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
