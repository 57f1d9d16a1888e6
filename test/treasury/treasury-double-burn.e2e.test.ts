import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';
import { allocate, financeKey, fundFromChain, landedBurns, waitForBurn } from '../support/treasury.js';
import { brokenTreasuryInvariants } from '../reliability/invariants.js';

const TAO = 1_000_000_000n;
const FEE_RAO = 123_456n;
const settled = (b: Record<string, any>) => ['finalized', 'failed', 'expired'].includes(b.status);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A transaction still valid in the node's pool must never be judged expired and signed again: on a
 * real node the second one takes the next nonce and both land, burning the same funds twice. The
 * test node holds the first transaction in its pool (a node slow to include it) and counts it in
 * system_accountNextIndex, as a real node does; it makes a block every 100 ms and finalizes two
 * blocks behind its best.
 */
describe.skipIf(!hasMetadata())('a burn is never signed twice for the same funds', () => {
  let node: FakeSubtensor;
  let app: TestApp;
  let key: string;
  let coldkey: string;
  let seq = 0;

  beforeAll(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    coldkey = keyring.addFromUri('//Alice').address;
    node = new FakeSubtensor({ blockMs: 100, finalityLag: 2 });
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
        TREASURY_POLL_MS: '20',
        TREASURY_ERA_PERIOD: '32',
        TREASURY_BURN_SHARE_BPS: '1000',
      },
    });
    key = await financeKey(app);
  });
  afterAll(async () => {
    await app?.close();
    await node?.stop();
  });

  /** $200 of revenue at 10 %, funded as 0.05 TAO, and a burn run started: one burn of 50,000,000 RAO. */
  const startBurn = async () => {
    seq++;
    await allocate(app, { amountMinor: 20_000n, stripeInvoiceId: `in_twice_${seq}` });
    const funded = await fundFromChain(app, key, node, { coldkey, rao: 50_000_000n, fiatMinor: 2_000, reference: `otc-twice-${seq}` });
    expect(funded.status, await funded.clone().text()).toBe(201);
    const res = await app.request('/v1/treasury/burns', { method: 'POST', key });
    expect(res.status, await res.clone().text()).toBe(202);
    return ((await res.json()) as { burn: Record<string, any> }).burn;
  };
  const waitForPool = async (n: number) => {
    for (let i = 0; node.author.pooled().length < n && i < 250; i++) await pause(20);
    expect(node.author.pooled().length).toBeGreaterThanOrEqual(n);
  };
  /** Waits until every burn from `firstId` on has settled, then returns them oldest first. */
  const settledFrom = async (firstId: string) => {
    await waitForBurn(app, key, firstId, settled);
    for (let i = 0; i < 250; i++) {
      const rows = await app.sql(`SELECT * FROM treasury_burns WHERE id >= $1 ORDER BY id`, [firstId]);
      if (rows.every((b) => settled(b))) return rows;
      await pause(20);
    }
    throw new Error('the run did not settle');
  };

  it('a block finalized between reading the finalized head and signing: the burn is not expired early and lands once', async () => {
    const balance = node.author.balanceOf(coldkey);
    const nonce = node.author.nonceOf(coldkey);
    node.author.next.push('hold');
    // Just after the executor has read the finalized header it will sign against, the node finalizes another block.
    node.afterAnswer('system_accountNextIndex', () =>
      node.afterAnswer('chain_getHeader', () => {
        node.advance();
        node.finalize(node.best.number);
      }),
    );
    const first = await startBurn();
    await waitForPool(1);
    const signed = await waitForBurn(app, key, first.id, (b) => b.expires_at_block !== null);
    const held = node.author.pooled()[0]!;
    const birth = node.registry.createType('Extrinsic', held.hex).era.asMortalEra.birth(node.best.number);
    // What is recorded is the era the transaction was signed with.
    expect({ birth: signed.era_birth_block, expires: signed.expires_at_block }).toEqual({ birth, expires: held.death });
    // Several polls of a settling burn, while its transaction waits valid in the pool.
    await pause(300);
    node.author.release();
    const burns = await settledFrom(first.id);
    const landed = landedBurns(node, coldkey, nonce);
    expect(landed, JSON.stringify(burns.map((b) => [b.id, b.status, b.nonce]))).toHaveLength(1);
    expect(burns.map((b) => b.status)).toEqual(['finalized']);
    // The funding's transfer brought 50,000,000 RAO in; the burn spent them and its fee.
    expect(node.author.balanceOf(coldkey)).toBe(balance - FEE_RAO);
    expect(await brokenTreasuryInvariants(app, { shareBps: 1000, chain: node, signer: coldkey })).toEqual([]);
  }, 30_000);

  it('a retry is signed with the expired attempt’s nonce, and settles on whichever of the two lands', async () => {
    const balance = node.author.balanceOf(coldkey);
    const nonce = node.author.nonceOf(coldkey);
    node.author.next.push('hold');
    const first = await startBurn();
    await waitForPool(1);
    const original = await waitForBurn(app, key, first.id, (b) => b.status === 'submitted');
    // A burn recorded with an era that ends too early (as before this fix): it is judged expired while still in the pool.
    await app.sql('UPDATE treasury_burns SET expires_at_block = $2 WHERE id = $1', [first.id, node.block.number]);
    const [retry] = await (async () => {
      for (let i = 0; i < 250; i++) {
        const rows = await app.sql(`SELECT * FROM treasury_burns WHERE retry_of = $1 AND nonce IS NOT NULL`, [first.id]);
        if (rows.length) return rows;
        await pause(20);
      }
      throw new Error('no retry was signed');
    })();
    // Same nonce: the pool refuses it while the first waits, and at most one of the two can ever be included.
    expect(retry).toMatchObject({ nonce: original.nonce, signer: coldkey, attempt: 2 });
    expect(node.author.nextIndex(coldkey)).toBe(nonce + 1);
    node.author.release();
    const burns = await settledFrom(first.id);
    const landed = landedBurns(node, coldkey, nonce);
    expect(landed).toHaveLength(1);
    expect(burns.map((b) => b.status)).toEqual(['expired', 'finalized']);
    // The retry records the transaction that landed: the first attempt's.
    expect(burns[1]).toMatchObject({ extrinsic_hash: original.extrinsic_hash, block_hash: landed[0]!.block.hash, extrinsic_index: landed[0]!.index });
    // The funding's transfer brought 50,000,000 RAO in; the burn spent them and its fee.
    expect(node.author.balanceOf(coldkey)).toBe(balance - FEE_RAO);
    const verified = (await (await app.request(`/v1/treasury/burns/${burns[1]!.id}/verify`, { method: 'POST', key })).json()) as Record<string, any>;
    expect(verified.verification).toMatchObject({ ok: true, mismatches: [] });
    expect(await brokenTreasuryInvariants(app, { shareBps: 1000, chain: node, signer: coldkey })).toEqual([]);
  }, 30_000);
});
