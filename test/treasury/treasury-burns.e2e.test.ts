import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/isolation.js';
import { runMigrations } from '../../src/app/database/migrate.js';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';
import { allocate, financeKey, fundFromChain, waitForBurn } from '../support/treasury.js';
import { runCli } from '../../tools/cli/leoma.js';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { AllocationsService, type RevenueEntryLike } from '../../src/treasury/allocations.service.js';
import { brokenTreasuryInvariants } from '../reliability/invariants.js';
import { brokenTreasuryProofInvariants } from '../reliability/treasury-proof-invariants.js';

const TAO = 1_000_000_000n;
const settled = (b: Record<string, any>) => ['finalized', 'failed', 'expired'].includes(b.status);

// Without the metadata file miner-directory.e2e.test.ts prints how to provide it.
describe.skipIf(!hasMetadata())('treasury burns against a subtensor test node', () => {
  let node: FakeSubtensor;
  let app: TestApp;
  let key: string;
  let coldkey: string;
  let hotkey: string;
  let env: Record<string, string>;
  // Created here, so the crash test can stop one app and start another on the same database.
  let db: TestDatabase;

  /** A transfer of `rao` into the coldkey on the test node, recorded as a funding of `cents`. */
  const fund = async (cents: number, rao: bigint, ref: string) => {
    const res = await fundFromChain(app, key, node, { coldkey, rao, fiatMinor: cents, reference: ref });
    expect(res.status, JSON.stringify(await res.clone().json())).toBe(201);
  };
  /** Asks for a burn run; a worker's start-up run may hold the treasury lock for a moment (409 burn_run_in_progress). */
  const run = async (a: TestApp = app) => {
    let res = await a.request('/v1/treasury/burns', { method: 'POST', key });
    for (let i = 0; res.status === 409 && i < 100; i++)
      res = await new Promise((r) => setTimeout(r, 50)).then(() => a.request('/v1/treasury/burns', { method: 'POST', key }));
    expect(res.status).toBe(202);
    return (await res.json()) as { result: string; dry_run: boolean; burn: Record<string, any> | null };
  };
  /** Starts the app (api and worker) and waits until the worker's start-up run is over, so the next run is the test's. */
  const restart = async (extra: Record<string, string> = {}) => {
    const started = await startTestApp({ env: { ...env, ...extra }, db, worker: true });
    expect((await run(started)).result).not.toBe('queued');
    return started;
  };
  /** The burn's status is written before its bytes are sent: wait until the node has them too. */
  const nodeHas = async (submissions: number) => {
    for (let i = 0; node.author.submissions.length < submissions && i < 200; i++) await new Promise((r) => setTimeout(r, 20));
    expect(node.author.submissions.length).toBeGreaterThanOrEqual(submissions);
  };
  const findBlockWith = (hash: string) => {
    for (let n = node.block.number; n > node.block.number - 500; n--) {
      const b = node.blockAt(n);
      if (b?.extrinsics.some((x) => node.registry.createType('Extrinsic', x).hash.toHex() === hash)) return b;
    }
    return undefined;
  };

  beforeAll(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    coldkey = keyring.addFromUri('//Alice').address;
    hotkey = keyring.addFromUri('//Bob').address;
    node = new FakeSubtensor();
    node.author.fund(coldkey, 10n * TAO);
    const url = await node.start();
    env = {
      SUBTENSOR_WS_URL: url,
      SUBNET_NETUID: '99',
      TREASURY_BURNS_LIVE: 'true',
      TREASURY_SIGNER_SECRET: '//Alice',
      TREASURY_COLDKEY: coldkey,
      TREASURY_HOTKEY: hotkey,
      TREASURY_POLL_MS: '20',
      TREASURY_ERA_PERIOD: '8',
      TREASURY_BURN_SHARE_BPS: '1000',
      TREASURY_ALLOCATION_INTERVAL_MS: '200',
    };
    db = await createTestDatabase();
    await runMigrations(db.url);
    app = await startTestApp({ env, db, worker: true });
    key = await financeKey(app);
  });
  afterAll(async () => {
    await app?.close();
    await node?.stop();
    await db?.drop();
  });

  it('allocates once per revenue entry, and a refund lowers the next burn', async () => {
    const first = await allocate(app, { amountMinor: 10_000n, stripeInvoiceId: 'in_a' });
    expect(first).toMatch(/^alc_/);
    // The same Stripe event again (a webhook redelivery), and the allocator run again over the same ledger entry.
    expect(await allocate(app, { amountMinor: 10_000n, stripeInvoiceId: 'in_a' })).toBeNull();
    const [entry] = await app.sql(
      'SELECT id, tenant_id AS "tenantId", kind, amount_minor AS "amountMinor", currency, stripe_invoice_id AS "stripeInvoiceId" FROM revenue_entries',
    );
    const db = app.api.get<DataSource>(getDataSourceToken());
    expect(await db.transaction((m) => app.api.get(AllocationsService).allocate(m, entry as RevenueEntryLike))).toBeNull();
    await allocate(app, { amountMinor: 10_000n, stripeInvoiceId: 'in_b' });
    expect(await app.sql('SELECT count(*)::int AS n FROM treasury_allocations')).toEqual([{ n: 2 }]);
    // $200 of revenue at 10 %: 2000 cents, bought as 0.05 TAO.
    await fund(2_000, 50_000_000n, 'otc-1');
    await allocate(app, { kind: 'refund', amountMinor: -10_000n, stripeInvoiceId: 'in_b' });
    const r = await run();
    expect(r.dry_run).toBe(false);
    expect(r.burn!.amount_rao).toBe('25000000');
    expect(r.burn!.covered_minor).toBe(1_000);
    const burn = await waitForBurn(app, key, r.burn!.id, settled);
    expect(burn.status).toBe('finalized');
    expect(burn.allocations).toEqual([{ allocation_id: first, stripe_invoice_id: 'in_a', amount_minor: 1_000 }]);
  });

  it('records the burn from the chain: block, index, hash, events, price and limit', async () => {
    const list = (await (await app.request('/v1/treasury/burns', { key })).json()) as { data: Record<string, any>[] };
    const burn = list.data[0]!;
    const block = findBlockWith(burn.extrinsic_hash)!;
    expect(burn).toMatchObject({
      status: 'finalized',
      block_number: block.number,
      block_hash: block.hash,
      extrinsic_index: 1,
      signer: coldkey,
      hotkey,
      netuid: 99,
      spec_version: 424,
      nonce: 0,
      fee_rao: '123456',
    });
    expect(burn.tao_spent_rao).toBe('25000000');
    expect(burn.alpha_bought).toBe(burn.alpha_burned);
    expect(BigInt(burn.alpha_burned)).toBeGreaterThan(0n);
    expect(burn.price_rao).toBe('5000000');
    expect(burn.limit_price_rao).toBe('5050000');
    expect(burn.expires_at_block - burn.era_birth_block).toBe(8);
    expect(burn.explorer_url).toBe(`https://taostats.io/extrinsic/${block.number}-1`);
    // What the node received: one mortal add_stake_burn with Some(limit), nonce 0, signed by the coldkey.
    const sent = node.registry.createType('Extrinsic', node.author.submissions[0]!.hex);
    expect(sent.era.isMortalEra).toBe(true);
    expect(sent.method.toJSON()).toMatchObject({ args: { hotkey, netuid: 99, amount: 25_000_000, limit: 5_050_000 } });
    // The coldkey received the funding's 50,000,000 RAO, then paid the burn and its fee (it signs itself here).
    expect(node.author.balanceOf(coldkey)).toBe(10n * TAO + 50_000_000n - 25_000_000n - 123_456n);
  });

  it('verifies a burn against the chain and detects a tampered amount', async () => {
    const [{ id }] = await app.sql("SELECT id FROM treasury_burns WHERE status = 'finalized'");
    const ok = (await (await app.request(`/v1/treasury/burns/${id}/verify`, { method: 'POST', key })).json()) as Record<string, any>;
    expect(ok.verification).toMatchObject({ ok: true, mismatches: [] });
    await app.sql('UPDATE treasury_burns SET tao_spent_rao = tao_spent_rao + 1 WHERE id = $1', [id]);
    const bad = (await (await app.request(`/v1/treasury/burns/${id}/verify`, { method: 'POST', key })).json()) as Record<string, any>;
    expect(bad.verification.ok).toBe(false);
    expect(bad.verification.mismatches).toEqual([{ field: 'tao_spent_rao', recorded: '25000001', on_chain: '25000000' }]);
    // Each verification is audited (test/audit/audit-coverage.e2e.test.ts names this file for it).
    const audited = await app.sql("SELECT after FROM audit_log WHERE action = 'treasury_burn.verified' AND target_id = $1 ORDER BY seq", [id]);
    expect(audited.map((r) => r.after.verification.ok)).toEqual([true, false]);
    await app.sql('UPDATE treasury_burns SET tao_spent_rao = tao_spent_rao - 1 WHERE id = $1', [id]);
  });

  it('SlippageTooHigh: the burn fails with the reason and its funds stay available', async () => {
    await allocate(app, { amountMinor: 40_000n, stripeInvoiceId: 'in_c' });
    // The refund above came after funding: 1000 funded cents are no longer allocated, so 3000 more are due.
    await fund(3_000, 75_000_000n, 'otc-2');
    node.author.moveBeforeInclusionBps = 500n;
    const r = await run();
    const failed = await waitForBurn(app, key, r.burn!.id, settled);
    node.author.moveBeforeInclusionBps = 0n;
    expect(failed).toMatchObject({ status: 'failed', failure_reason: 'subtensorModule.SlippageTooHigh', fee_rao: '123456', amount_rao: '100000000' });
    expect(failed.block_number).toBeGreaterThan(0);
    const summary = (await (await app.request('/v1/treasury/summary', { key })).json()) as Record<string, any>;
    expect(summary.pending_rao).toBe('100000000');
    const again = await run();
    expect(again.burn!.amount_rao).toBe('100000000');
    expect((await waitForBurn(app, key, again.burn!.id, settled)).status).toBe('finalized');
  });

  it('a transaction never included expires at its era and is retried once, burning once', async () => {
    await allocate(app, { amountMinor: 20_000n, stripeInvoiceId: 'in_d' });
    await fund(2_000, 50_000_000n, 'otc-3');
    const before = node.author.submissions.length;
    node.author.next.push('never');
    const r = await run();
    const pending = await waitForBurn(app, key, r.burn!.id, (b) => b.status === 'submitted');
    await nodeHas(before + 1);
    node.advance(pending.expires_at_block - node.block.number + 1);
    const expired = await waitForBurn(app, key, r.burn!.id, settled);
    expect(expired.status).toBe('expired');
    // The retry is planned just after the expiry is recorded, in its own transaction: wait for it.
    let [retry] = await app.sql('SELECT id FROM treasury_burns WHERE retry_of = $1', [r.burn!.id]);
    for (let i = 0; !retry && i < 200; i++)
      [retry] = await new Promise((res) => setTimeout(res, 25)).then(() => app.sql('SELECT id FROM treasury_burns WHERE retry_of = $1', [r.burn!.id]));
    const finalized = await waitForBurn(app, key, retry!.id, settled);
    expect(finalized).toMatchObject({ status: 'finalized', attempt: 2, retry_of: r.burn!.id, amount_rao: '50000000', nonce: expired.nonce });
    const sent = node.author.submissions.slice(before);
    expect(sent).toHaveLength(2);
    expect(sent.filter((s) => findBlockWith(s.hash))).toHaveLength(1);
  });

  it('a crash after sending and before recording: on restart the burn is found on chain, nothing is sent again', async () => {
    await app.close();
    // A worker that looks at the chain only once a minute, so it "dies" before it sees the block.
    const slow = (app = await restart({ TREASURY_POLL_MS: '60000' }));
    await allocate(app, { amountMinor: 20_000n, stripeInvoiceId: 'in_e' });
    await fund(2_000, 50_000_000n, 'otc-4');
    node.author.next.push('include-silently');
    const submittedBefore = node.author.submissions.length;
    const r = await run(slow);
    await waitForBurn(slow, key, r.burn!.id, (b) => b.status === 'submitted');
    await nodeHas(submittedBefore + 1);
    const sentBefore = node.author.submissions.length;
    await new Promise((res) => setTimeout(res, 400));
    expect(findBlockWith(node.author.submissions.at(-1)!.hash)).toBeDefined();
    await slow.close();
    expect((await slow.sql('SELECT status FROM treasury_burns WHERE id = $1', [r.burn!.id]))[0]!.status).toBe('submitted');
    // The restarted worker reconciles at start-up, before it would sign anything new.
    app = await startTestApp({ env, db, worker: true });
    const recovered = await waitForBurn(app, key, r.burn!.id, settled);
    // The worker's start-up run may still hold the treasury lock for a moment (409 burn_run_in_progress).
    let next = await app.request('/v1/treasury/burns', { method: 'POST', key });
    for (let i = 0; next.status === 409 && i < 50; i++)
      next = await new Promise((r) => setTimeout(r, 50)).then(() => app.request('/v1/treasury/burns', { method: 'POST', key }));
    expect(await next.json()).toMatchObject({ result: 'nothing_to_burn' });
    expect(recovered).toMatchObject({ status: 'finalized', tao_spent_rao: '50000000', extrinsic_index: 1 });
    expect(node.author.submissions.length).toBe(sentBefore);
  });

  it('a crash while the transaction is still pending: on restart the same bytes are offered again and land once, nothing new is signed', async () => {
    await app.close();
    const slow = (app = await restart({ TREASURY_POLL_MS: '60000' }));
    await allocate(app, { amountMinor: 20_000n, stripeInvoiceId: 'in_g' });
    await fund(2_000, 50_000_000n, 'otc-6');
    node.author.next.push('never');
    const r = await run(slow);
    const pending = await waitForBurn(slow, key, r.burn!.id, (b) => b.status === 'submitted');
    await slow.close();
    // The restarted worker's start-up run follows the pending burn (holding the lock); a run asked for meanwhile signs nothing new.
    app = await startTestApp({ env, db, worker: true });
    const again = await app.request('/v1/treasury/burns', { method: 'POST', key });
    if (again.status === 202) expect(await again.json()).toMatchObject({ result: 'waiting_for_unresolved', burn: null });
    else expect(again.status).toBe(409);
    const done = await waitForBurn(app, key, r.burn!.id, settled);
    expect(done).toMatchObject({ status: 'finalized', extrinsic_hash: pending.extrinsic_hash, nonce: pending.nonce });
    const mine = node.author.submissions.filter((x) => x.nonce === pending.nonce);
    expect(new Set(mine.map((x) => x.hash))).toEqual(new Set([pending.extrinsic_hash]));
    expect(findBlockWith(pending.extrinsic_hash)).toBeDefined();
  });

  it('leoma treasury burn|summary|burns|verify|export, with a progress line while the burn waits', async () => {
    await allocate(app, { amountMinor: 20_000n, stripeInvoiceId: 'in_f' });
    await fund(2_000, 50_000_000n, 'otc-5');
    const cli = async (...args: string[]) => {
      let out = '';
      let err = '';
      const code = await runCli(
        ['treasury', ...args],
        { LEOMA_API_URL: app.url, LEOMA_API_KEY: key },
        { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) },
      );
      return { code, out, err };
    };
    const burned = await cli('burn', '--json');
    expect(burned.code).toBe(0);
    // The run answers with the burn as the worker left it: while it is not settled the CLI follows it
    // with a progress line; when the chain settled it before the answer (a fast run) there is nothing to wait for.
    if (burned.err) expect(burned.err).toMatch(/brn_\w+: (submitted|in_block|finalized).*waiting for finality/);
    const burn = JSON.parse(burned.out) as Record<string, any>;
    expect(burn).toMatchObject({ status: 'finalized', amount_rao: '50000000' });
    const summary = await cli('summary');
    expect(summary.out).toMatch(/burned_tao_rao\s*│\s*325000000/);
    expect((await cli('burns')).out).toContain(`${burn.block_number}-1`);
    const verified = await cli('verify', burn.id, '--json');
    expect(JSON.parse(verified.out).verification.ok).toBe(true);
    const exported = await cli('export');
    expect(exported.out.split('\r\n')[0]).toMatch(/^id,status,attempt/);
    expect(exported.out).toContain(burn.id);
  });

  it('reconciles to the RAO and the cent, and exports CSV', async () => {
    // An entry the allocator has not seen yet is picked up by the worker's sweep; the report only reads.
    await app.api
      .get<DataSource>(getDataSourceToken())
      .query(
        `INSERT INTO revenue_entries (id, tenant_id, kind, amount_minor, currency, stripe_object_id, occurred_at) VALUES ('rev_zzzzzzzzzzzzzzzzzzzzzzzzzz', 'ten_test', 'invoice_paid', 0, 'usd', 'in_zero', now())`,
      );
    for (let i = 0; !(await app.sql("SELECT 1 FROM treasury_allocations WHERE revenue_entry_id = 'rev_zzzzzzzzzzzzzzzzzzzzzzzzzz'")).length; i++) {
      if (i > 200) throw new Error('the worker did not allocate the new entry');
      await new Promise((r) => setTimeout(r, 50));
    }
    const rec = (await (await app.request('/v1/treasury/reconciliation', { key })).json()) as {
      balanced: boolean;
      checks: { name: string; ok: boolean; detail: string }[];
    };
    expect(rec.checks.filter((c) => !c.ok)).toEqual([]);
    expect(rec.balanced).toBe(true);
    const s = (await (await app.request('/v1/treasury/summary', { key })).json()) as Record<string, any>;
    expect(s).toMatchObject({ funded_rao: '325000000', burned_tao_rao: '325000000', in_flight_rao: '0', pending_rao: '0', dry_run: false });
    expect(s.currencies).toEqual([
      {
        currency: 'usd',
        revenue_minor: 130_000,
        allocated_minor: 13_000,
        funded_minor: 13_000,
        unfunded_minor: 0,
        covered_minor: 13_000,
        funded_rao: '325000000',
        burned_tao_rao: '325000000',
        in_flight_rao: '0',
        pending_rao: '0',
      },
    ]);
    // Seven transactions reached a block: six burned, one failed on slippage (and paid its fee).
    expect(new Set(node.author.submissions.filter((x) => findBlockWith(x.hash)).map((x) => x.hash)).size).toBe(7);
    expect(await app.sql('SELECT status, count(*)::int AS n FROM treasury_burns GROUP BY status ORDER BY status')).toEqual([
      { status: 'expired', n: 1 },
      { status: 'failed', n: 1 },
      { status: 'finalized', n: 6 },
    ]);
    expect(s.fees_rao).toBe(String(7 * 123_456));
    const csv = await (await app.request('/v1/treasury/burns/export?format=csv', { key })).text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,status,/);
    expect(lines).toHaveLength(1 + 8);
    expect((await app.request('/v1/treasury/burns/export?format=xml', { key })).status).toBe(400);
    // After refunds, a slippage failure, an expiry with its retry and two crashes: revenue, allocations and burns still reconcile.
    expect(await brokenTreasuryInvariants(app, { shareBps: 1000, chain: node, signer: coldkey })).toEqual([]);
    expect(await brokenTreasuryProofInvariants(app, { chain: node })).toEqual([]);
  });
});
