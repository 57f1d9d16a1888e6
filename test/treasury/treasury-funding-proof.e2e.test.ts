import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { EventRecord } from '@polkadot/types/interfaces';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';
import { allocate, financeKey, fundingBody, transferOnChain, waitForBurn } from '../support/treasury.js';
import { brokenTreasuryInvariants } from '../reliability/invariants.js';

const TAO = 1_000_000_000n;
const settled = (b: Record<string, any>) => ['finalized', 'failed', 'expired'].includes(b.status);

/**
 * Fundings are taken from the chain (a finalized Balances.Transfer into the treasury coldkey),
 * money stays in its own currency, and burns are signed by a NonFungible proxy of the coldkey
 * whose key comes from a mounted file: all against the test node with subtensor 424's metadata.
 */
describe.skipIf(!hasMetadata())('treasury fundings on chain, per currency, burned through a proxy', () => {
  let node: FakeSubtensor;
  let app: TestApp;
  let key: string;
  let coldkey: KeyringPair;
  let proxy: KeyringPair;
  let funder: KeyringPair;
  let stranger: KeyringPair;
  let hotkey: string;

  const post = (body: Record<string, unknown>) => app.request('/v1/treasury/fundings', { method: 'POST', key, json: body });
  /** Asks for a burn run; the worker's start-up run may hold the lock for a moment. */
  const run = async () => {
    let res = await app.request('/v1/treasury/burns', { method: 'POST', key });
    for (let i = 0; res.status === 409 && i < 100; i++)
      res = await new Promise((r) => setTimeout(r, 50)).then(() => app.request('/v1/treasury/burns', { method: 'POST', key }));
    expect(res.status).toBe(202);
    return (await res.json()) as { result: string; burn: Record<string, any> | null };
  };

  beforeAll(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    coldkey = keyring.addFromUri('//Alice');
    funder = keyring.addFromUri('//Dave');
    stranger = keyring.addFromUri('//Eve');
    hotkey = keyring.addFromUri('//Bob').address;
    const mnemonic = mnemonicGenerate();
    proxy = keyring.addFromUri(mnemonic);
    // The proxy's mnemonic as the chart mounts it: a file on the worker, not an environment variable.
    const dir = mkdtempSync(join(tmpdir(), 'leoma-proxy-'));
    writeFileSync(join(dir, 'mnemonic'), `${mnemonic}\n`, { mode: 0o600 });
    node = new FakeSubtensor();
    node.author.fund(coldkey.address, 0n);
    node.author.fund(funder.address, 100n * TAO);
    node.author.fund(proxy.address, TAO);
    node.author.addProxy(coldkey.address, proxy.address, 'NonFungible');
    delete process.env.TREASURY_SIGNER_SECRET;
    app = await startTestApp({
      worker: true,
      env: {
        SUBTENSOR_WS_URL: await node.start(),
        SUBNET_NETUID: '99',
        TREASURY_BURNS_LIVE: 'true',
        TREASURY_COLDKEY: coldkey.address,
        TREASURY_SIGNER_MNEMONIC_FILE: join(dir, 'mnemonic'),
        TREASURY_HOTKEY: hotkey,
        TREASURY_POLL_MS: '20',
        TREASURY_ERA_PERIOD: '16',
        TREASURY_BURN_SHARE_BPS: '1000',
      },
    });
    key = await financeKey(app);
  });
  afterAll(async () => {
    await app?.close();
    await node?.stop();
  });

  it('takes a funding from its transfer into the coldkey: amount, sender and time from the chain', async () => {
    await allocate(app, { amountMinor: 20_000n, currency: 'usd', stripeInvoiceId: 'in_usd_1' });
    const transfer = await transferOnChain(node, funder, [{ to: coldkey.address, amount: 50_000_000n }]);
    const res = await post(fundingBody(transfer, 2_000, 'USD', '400.00', 'otc-usd-1'));
    const body = (await res.json()) as Record<string, any>;
    expect(res.status, JSON.stringify(body)).toBe(201);
    const block = node.blockAt(transfer.blockNumber)!;
    expect(body).toMatchObject({
      amount_rao: '50000000',
      fiat_minor: 2_000,
      currency: 'usd',
      rate: '400.00',
      rate_source: 'otc desk quote',
      rate_read_at: '2026-12-01T12:00:00.000Z',
      external_reference: 'otc-usd-1',
      transfer: {
        block_number: transfer.blockNumber,
        extrinsic_index: transfer.index,
        block_hash: block.hash,
        extrinsic_hash: transfer.hash,
        from: funder.address,
      },
      // The fake node's Timestamp.set for that block.
      received_at: new Date(1_790_000_000_000 + transfer.blockNumber * 12_000).toISOString(),
    });
  });

  it('refuses a transfer that is not there, not a transfer, not to the coldkey, not finalized, or already used', async () => {
    await allocate(app, { amountMinor: 100_000n, currency: 'usd', stripeInvoiceId: 'in_usd_2' });
    const code = async (body: Record<string, unknown>) => {
      const res = await post(body);
      return { status: res.status, code: ((await res.json()) as { code: string }).code };
    };
    const good = await transferOnChain(node, funder, [{ to: coldkey.address, amount: 25_000_000n }]);
    const body = (reference: string, over: Record<string, unknown> = {}) => ({ ...fundingBody(good, 1_000, 'usd', '400', reference), ...over });
    expect(await code(body('r-1', { transfer_block_number: node.best.number + 50 }))).toEqual({ status: 422, code: 'funding_transfer_not_found' });
    expect(await code(body('r-2', { transfer_extrinsic_index: 7 }))).toEqual({ status: 422, code: 'funding_transfer_not_found' });
    // Index 0 is the block's timestamp inherent: an extrinsic, but no transfer.
    expect(await code(body('r-3', { transfer_extrinsic_index: 0, transfer_extrinsic_hash: undefined }))).toEqual({
      status: 422,
      code: 'funding_transfer_not_found',
    });
    expect(await code(body('r-4', { transfer_extrinsic_hash: `0x${'ab'.repeat(32)}` }))).toEqual({ status: 422, code: 'funding_transfer_hash_mismatch' });
    const elsewhere = await transferOnChain(node, funder, [{ to: stranger.address, amount: 25_000_000n }]);
    expect(await code(fundingBody(elsewhere, 1_000, 'usd', '400', 'r-5'))).toEqual({ status: 422, code: 'funding_transfer_not_to_treasury' });
    // The amount is the chain's: fiat that does not match it at the rate is refused.
    expect(await code(body('r-6', { fiat_minor: 2_000, rate: '800' }))).toEqual({ status: 201, code: undefined });
    expect(await code(body('r-7'))).toEqual({ status: 409, code: 'funding_transfer_already_used' });
    node.finalityHeld = true;
    try {
      const fresh = await transferOnChain(node, funder, [{ to: coldkey.address, amount: 25_000_000n }]);
      expect(await code(fundingBody(fresh, 1_000, 'usd', '400', 'r-8'))).toEqual({ status: 409, code: 'funding_transfer_not_finalized' });
      node.finalize(fresh.blockNumber);
      expect(await code(fundingBody(fresh, 1_000, 'usd', '399', 'r-8'))).toEqual({ status: 201, code: undefined });
    } finally {
      node.finalityHeld = false;
    }
    const mismatch = await transferOnChain(node, funder, [{ to: coldkey.address, amount: 25_000_000n }]);
    expect(await code(fundingBody(mismatch, 5_000, 'usd', '400', 'r-9'))).toEqual({ status: 422, code: 'funding_rate_mismatch' });
    expect(await app.sql('SELECT count(*)::int AS n FROM treasury_fundings')).toEqual([{ n: 3 }]);
  });

  it('keeps EUR and USD apart: each funded, burned and reconciled in its own currency', async () => {
    await allocate(app, { amountMinor: 30_000n, currency: 'eur', stripeInvoiceId: 'in_eur_1' });
    // EUR allocations are 3000 cents; USD unfunded money does not make room for more EUR.
    const tooMuch = await transferOnChain(node, funder, [{ to: coldkey.address, amount: 100_000_000n }]);
    const refused = await post(fundingBody(tooMuch, 4_000, 'eur', '400', 'otc-eur-0'));
    expect(await refused.json()).toMatchObject({ status: 422, code: 'funding_exceeds_allocations', currency: 'eur', unfunded_minor: 3_000 });
    // Two transfers in one batch to the coldkey count as one funding of their sum.
    const eur = await transferOnChain(node, funder, [
      { to: coldkey.address, amount: 50_000_000n },
      { to: coldkey.address, amount: 25_000_000n },
    ]);
    const funded = await post(fundingBody(eur, 3_000, 'eur', '400', 'otc-eur-1'));
    expect(await funded.json()).toMatchObject({ amount_rao: '75000000', currency: 'eur', fiat_minor: 3_000 });

    const burns: Record<string, any>[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await run();
      expect(r.result).toBe('planned');
      burns.push(await waitForBurn(app, key, r.burn!.id, settled));
    }
    expect(burns.map((b) => [b.currency, b.status, b.amount_rao, b.covered_minor])).toEqual([
      ['eur', 'finalized', '75000000', 3_000],
      // USD: 2000 + 2000 (at 800/TAO) + 1000 cents for 50 + 25 + 25 million RAO.
      ['usd', 'finalized', '100000000', 5_000],
    ]);
    for (const b of burns)
      expect(new Set(b.allocations.map((a: { stripe_invoice_id: string }) => a.stripe_invoice_id.slice(0, 6)))).toEqual(
        new Set([b.currency === 'eur' ? 'in_eur' : 'in_usd']),
      );

    const summary = (await (await app.request('/v1/treasury/summary', { key })).json()) as Record<string, any>;
    expect(summary.currencies).toEqual([
      {
        currency: 'eur',
        revenue_minor: 30_000,
        allocated_minor: 3_000,
        funded_minor: 3_000,
        unfunded_minor: 0,
        covered_minor: 3_000,
        funded_rao: '75000000',
        burned_tao_rao: '75000000',
        in_flight_rao: '0',
        pending_rao: '0',
      },
      {
        currency: 'usd',
        revenue_minor: 120_000,
        allocated_minor: 12_000,
        funded_minor: 5_000,
        unfunded_minor: 7_000,
        covered_minor: 5_000,
        funded_rao: '100000000',
        burned_tao_rao: '100000000',
        in_flight_rao: '0',
        pending_rao: '0',
      },
    ]);
    expect(summary).not.toHaveProperty('revenue_minor');
    expect(summary.burned_tao_rao).toBe('175000000');
    const rec = (await (await app.request('/v1/treasury/reconciliation', { key })).json()) as {
      balanced: boolean;
      checks: { name: string; currency: string | null; ok: boolean }[];
    };
    expect(rec.checks.filter((c) => !c.ok)).toEqual([]);
    expect(new Set(rec.checks.filter((c) => c.name === 'revenue_times_share').map((c) => c.currency))).toEqual(new Set(['eur', 'usd']));
    const csv = await (await app.request('/v1/treasury/burns/export?format=csv', { key })).text();
    expect(csv.split('\r\n')[0]).toContain(',currency,');
    const page = await (await app.request('/burns')).text();
    expect(page).toContain('<td>EUR</td>');
    expect(await brokenTreasuryInvariants(app, { shareBps: 1000, chain: node, signer: proxy.address })).toEqual([]);
  });

  it('burns through the proxy: Proxy.proxy(coldkey, NonFungible, add_stake_burn), the coldkey pays, the proxy signs and pays the fee', async () => {
    const [burn] = await app.sql<{ id: string }>("SELECT id FROM treasury_burns WHERE currency = 'eur'");
    const b = (await (await app.request(`/v1/treasury/burns/${burn!.id}`, { key })).json()) as Record<string, any>;
    expect(b).toMatchObject({ status: 'finalized', signer: proxy.address, coldkey: coldkey.address, tao_spent_rao: '75000000', fee_rao: '123456' });
    const sent = node.registry.createType('Extrinsic', node.author.submissions.find((s) => s.hash === b.extrinsic_hash)!.hex);
    expect(sent.signer.toString()).toBe(proxy.address);
    expect(sent.method.toJSON()).toMatchObject({
      args: { real: { id: coldkey.address }, force_proxy_type: 'NonFungible', call: { args: { hotkey, netuid: 99, amount: 75_000_000 } } },
    });
    // Every transfer into the coldkey so far (300 million RAO, recorded as funding or not) less the two burns.
    expect(node.author.balanceOf(coldkey.address)).toBe(300_000_000n - 175_000_000n);
    expect(node.author.balanceOf(proxy.address)).toBe(TAO - 2n * 123_456n);
    const verified = (await (await app.request(`/v1/treasury/burns/${b.id}/verify`, { method: 'POST', key })).json()) as Record<string, any>;
    expect(verified.verification).toMatchObject({ ok: true, mismatches: [] });
  });

  it('a failed inner call (ProxyExecuted with an error) is a failed burn, never finalized, and its TAO stays to burn', async () => {
    await allocate(app, { amountMinor: 10_000n, currency: 'eur', stripeInvoiceId: 'in_eur_2' });
    const t = await transferOnChain(node, funder, [{ to: coldkey.address, amount: 25_000_000n }]);
    expect((await post(fundingBody(t, 1_000, 'eur', '400', 'otc-eur-2'))).status).toBe(201);
    node.author.moveBeforeInclusionBps = 500n;
    const r = await run();
    const failed = await waitForBurn(app, key, r.burn!.id, settled);
    node.author.moveBeforeInclusionBps = 0n;
    // The extrinsic itself succeeded (the proxy call dispatched); the burn inside it did not.
    const block = node.blockAt(failed.block_number)!;
    const events = (node.registry.createType('Vec<FrameSystemEventRecord>', block.events!) as unknown as EventRecord[]).map(
      (e) => `${e.event.section}.${e.event.method}`,
    );
    expect(events).toEqual(expect.arrayContaining(['proxy.ProxyExecuted', 'system.ExtrinsicSuccess']));
    expect(events).not.toContain('subtensorModule.AddStakeBurn');
    expect(failed).toMatchObject({ status: 'failed', failure_reason: 'subtensorModule.SlippageTooHigh', tao_spent_rao: null, alpha_burned: null });
    const verified = (await (await app.request(`/v1/treasury/burns/${failed.id}/verify`, { method: 'POST', key })).json()) as Record<string, any>;
    expect(verified.verification).toMatchObject({ ok: true });
    const again = await run();
    expect(again.burn).toMatchObject({ currency: 'eur', amount_rao: '25000000' });
    expect((await waitForBurn(app, key, again.burn!.id, settled)).status).toBe('finalized');
  });

  it('a revoked proxy cannot burn: Proxy.NotProxy fails the burn and nothing leaves the coldkey', async () => {
    await allocate(app, { amountMinor: 10_000n, currency: 'eur', stripeInvoiceId: 'in_eur_3' });
    const t = await transferOnChain(node, funder, [{ to: coldkey.address, amount: 25_000_000n }]);
    expect((await post(fundingBody(t, 1_000, 'eur', '400', 'otc-eur-3'))).status).toBe(201);
    node.author.removeProxy(coldkey.address, proxy.address);
    const before = node.author.balanceOf(coldkey.address);
    const failed = await waitForBurn(app, key, (await run()).burn!.id, settled);
    node.author.addProxy(coldkey.address, proxy.address, 'NonFungible');
    expect(failed).toMatchObject({ status: 'failed', failure_reason: 'proxy.NotProxy' });
    expect(node.author.balanceOf(coldkey.address)).toBe(before);
    expect(await brokenTreasuryInvariants(app, { shareBps: 1000, chain: node, signer: proxy.address })).toEqual([]);
  });
});
