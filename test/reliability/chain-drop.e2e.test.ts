import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';
import { allocate, financeKey, fundFromChain, waitForBurn } from '../support/treasury.js';
import { brokenTreasuryInvariants } from './invariants.js';

/**
 * The subtensor node goes away at each risky point of a live burn — while it is being quoted
 * (before anything is signed), as the signed transaction is submitted, after the node accepted it
 * but before its inclusion was seen, and after inclusion before the outcome was read — and comes
 * back on the same port RELIABILITY_CHAIN_OUTAGE_MS later (default 500). The real @polkadot/api
 * talks to the test node throughout. Every burn must end once on chain and once in the database,
 * the process must keep answering while the node is gone, and nothing may be left in flight.
 */
const OUTAGE_MS = Number(process.env.RELIABILITY_CHAIN_OUTAGE_MS ?? 500);
const TAO = 1_000_000_000n;
const SHARE_BPS = 1000;
const FEE_RAO = 123_456n;
const settled = (b: Record<string, any>) => ['finalized', 'failed', 'expired'].includes(b.status);

describe.skipIf(!hasMetadata())('the chain test node drops its connection during a burn', () => {
  let node: FakeSubtensor;
  let app: TestApp;
  let key: string;
  let coldkey: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  let seq = 0;

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    coldkey = keyring.addFromUri('//Alice').address;
    node = new FakeSubtensor();
    node.author.fund(coldkey, 10n * TAO);
    const url = await node.start();
    app = await startTestApp({
      worker: true,
      env: {
        SUBTENSOR_WS_URL: url,
        SUBNET_NETUID: '99',
        TREASURY_BURNS_LIVE: 'true',
        TREASURY_SIGNER_SECRET: '//Alice',
        TREASURY_COLDKEY: coldkey,
        TREASURY_HOTKEY: keyring.addFromUri('//Bob').address,
        TREASURY_POLL_MS: '50',
        TREASURY_ERA_PERIOD: '64',
        TREASURY_BURN_SHARE_BPS: String(SHARE_BPS),
      },
    });
    key = await financeKey(app);
    // Connects the worker to the node (metadata and all) before the first outage; its start-up run may hold the lock a moment.
    let warm = await app.request('/v1/treasury/burns', { method: 'POST', key });
    for (let i = 0; warm.status === 409 && i < 100; i++)
      warm = await new Promise((r) => setTimeout(r, 50)).then(() => app.request('/v1/treasury/burns', { method: 'POST', key }));
    expect(await warm.json()).toMatchObject({ result: 'nothing_to_burn' });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await app?.close();
    await node?.stop();
  });

  /** $200 of revenue at 10 %, funded as 0.05 TAO: one burn of 50,000,000 RAO is due. */
  const fundOneBurn = async () => {
    seq++;
    await allocate(app, { amountMinor: 20_000n, stripeInvoiceId: `in_drop_${seq}` });
    const res = await fundFromChain(app, key, node, { coldkey, rao: 50_000_000n, fiatMinor: 2_000, reference: `otc-drop-${seq}` });
    expect(res.status, await res.clone().text()).toBe(201);
  };
  const startRun = async () => {
    const res = await app.request('/v1/treasury/burns', { method: 'POST', key });
    expect(res.status, await res.clone().text()).toBe(202);
    return ((await res.json()) as { burn: Record<string, any> }).burn;
  };
  /** Answered within two seconds, or the request fails the test. */
  const answered = (path: string, init: RequestInit & { key?: string } = {}) => app.request(path, { key, ...init, signal: AbortSignal.timeout(2_000) });

  /** While the node is gone: the process answers every treasury read, and refuses chain work cleanly. */
  const checkWhileDown = async (burnId: string) => {
    expect((await answered('/v1/treasury/summary')).status).toBe(200);
    expect((await answered(`/v1/treasury/burns/${burnId}`)).status).toBe(200);
    expect((await answered('/v1/treasury/reconciliation')).status).toBe(200);
    // The run that holds the treasury lock is still waiting for its burn; another one is refused, not queued.
    const again = await answered('/v1/treasury/burns', { method: 'POST' });
    expect(again.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect([409, 503]).toContain(again.status);
    const [finalized] = await app.sql<{ id: string }>(`SELECT id FROM treasury_burns WHERE status = 'finalized' ORDER BY id LIMIT 1`);
    if (finalized) {
      const verify = await answered(`/v1/treasury/burns/${finalized.id}/verify`, { method: 'POST' });
      expect(verify.status, await verify.clone().text()).toBe(503);
      expect(((await verify.json()) as { code: string }).code).toBe('chain_unavailable');
    }
  };

  /** Where a transaction of the treasury coldkey with `nonce` was included (the fake chain is a few hundred blocks long). */
  const landed = (nonce: number) =>
    Array.from({ length: 500 }, (_, i) => node.blockAt(node.block.number - i))
      .flatMap((b) => (b ? b.extrinsics.map((x, index) => ({ block: b, index, ex: node.registry.createType('Extrinsic', x) })) : []))
      .filter(({ ex }) => ex.isSigned && ex.signer.toString() === coldkey && ex.nonce.toNumber() === nonce);

  /**
   * Funds one burn, arms the outage, runs the burn job, checks the process while the node is gone,
   * brings the node back and waits for the run to settle. Returns the burns this run made.
   */
  const burnThroughOutage = async (outage: () => Promise<void>) => {
    await fundOneBurn();
    const balance = node.author.balanceOf(coldkey);
    const nonce = node.author.nonceOf(coldkey);
    const down = outage();
    const first = await startRun();
    await down;
    await checkWhileDown(first.id);
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await node.restart();
    await waitForBurn(app, key, first.id, settled, 20_000);
    // A burn that failed before anything was signed is planned again by the same run once the node is back.
    let burns: Record<string, any>[] = [];
    const deadline = Date.now() + 20_000;
    for (;;) {
      burns = await app.sql(`SELECT * FROM treasury_burns WHERE id >= $1 ORDER BY id`, [first.id]);
      if (burns.some((b) => b.status === 'finalized') || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const [done] = burns.filter((b) => b.status === 'finalized');
    expect(done, JSON.stringify(burns)).toBeDefined();
    // Once on chain: one transaction with this nonce in one block, the one recorded; the coldkey paid once.
    const onChain = landed(nonce);
    expect(onChain).toHaveLength(1);
    expect({ block: String(onChain[0]!.block.number), hash: onChain[0]!.block.hash, index: onChain[0]!.index, tx: onChain[0]!.ex.hash.toHex() }).toEqual({
      block: done!.block_number,
      hash: done!.block_hash,
      index: done!.extrinsic_index,
      tx: done!.extrinsic_hash,
    });
    expect(node.author.balanceOf(coldkey)).toBe(balance - 50_000_000n - FEE_RAO);
    expect(done).toMatchObject({ amount_rao: '50000000', tao_spent_rao: '50000000', nonce });
    // Once in the database: this run burned the funded amount once; anything else it recorded failed with a reason.
    expect(burns.filter((b) => b.status === 'finalized')).toHaveLength(1);
    for (const b of burns.filter((x) => x.status !== 'finalized'))
      expect(b).toMatchObject({ status: 'failed', failure_reason: expect.stringMatching(/^chain_unavailable/), block_number: null });
    expect(await brokenTreasuryInvariants(app, { shareBps: SHARE_BPS, chain: node, signer: coldkey })).toEqual([]);
    // Verified by the API from its own connection to the node (the worker signs; the API only reads): the next outage cuts that one too.
    const verified = (await (await answered(`/v1/treasury/burns/${done!.id}/verify`, { method: 'POST' })).json()) as { verification: { ok: boolean } };
    expect(verified.verification.ok).toBe(true);
    return burns;
  };

  it('before anything is signed (while the burn is quoted): recorded failed with the reason, then burned once when the node is back', async () => {
    const burns = await burnThroughOutage(() => node.goDownOn('state_call', 'before'));
    expect(burns.map((b) => b.status)).toEqual(['failed', 'finalized']);
    expect(burns[0]!.signed_extrinsic).toBeNull();
  }, 45_000);

  it('as the signed transaction is submitted (the node never sees it): the same bytes are sent again and land once', async () => {
    const burns = await burnThroughOutage(() => node.goDownOn('author_submitAndWatchExtrinsic', 'before'));
    expect(burns.map((b) => b.status)).toEqual(['finalized']);
  }, 45_000);

  it('after the node accepted it, included while the connection is down: found on chain, not sent twice', async () => {
    node.author.next.push('include-silently');
    const burns = await burnThroughOutage(() => node.goDownOn('author_submitAndWatchExtrinsic', 'after'));
    expect(burns.map((b) => b.status)).toEqual(['finalized']);
  }, 45_000);

  it('after the node accepted it and lost it with its pool on restart: the same bytes are sent again and land once', async () => {
    node.author.next.push('never');
    const burns = await burnThroughOutage(() => node.goDownOn('author_submitAndWatchExtrinsic', 'after'));
    expect(burns.map((b) => b.status)).toEqual(['finalized']);
  }, 45_000);

  it('after inclusion, before the outcome was read: recorded from the chain with block, index and hash', async () => {
    const burns = await burnThroughOutage(() => node.goDownOn((method, params) => node.readsEvents(method, params), 'before'));
    expect(burns.map((b) => b.status)).toEqual(['finalized']);
  }, 45_000);

  it('a burn run asked for while the node is down is refused with 503 chain_unavailable, and nothing was lost or left in flight', async () => {
    await node.stop();
    const res = await answered('/v1/treasury/burns', { method: 'POST' });
    expect(res.status, await res.clone().text()).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('chain_unavailable');
    await node.restart();
    expect(unhandled).toEqual([]);
    expect(await brokenTreasuryInvariants(app, { shareBps: SHARE_BPS, chain: node, signer: coldkey })).toEqual([]);
  }, 20_000);
});
