import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';

/** The test node must refuse what a real node's pool refuses, or the treasury tests prove nothing. */
describe.skipIf(!hasMetadata())('the test node checks submitted extrinsics', () => {
  let node: FakeSubtensor;
  let api: ApiPromise;
  let alice: ReturnType<Keyring['addFromUri']>;

  beforeAll(async () => {
    await cryptoWaitReady();
    alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
    node = new FakeSubtensor();
    node.author.fund(alice.address, 10_000_000_000n);
    api = await ApiPromise.create({ provider: new WsProvider(await node.start()), noInitWarn: true });
  });
  afterAll(async () => {
    await api?.disconnect();
    await node?.stop();
  });

  const burn = () => api.tx.subtensorModule!.addStakeBurn!(alice.address, 99, 5_000_000, 6_000_000);
  const submit = (hex: string) =>
    new Promise<string>((resolve, reject) => {
      api.rpc.author
        .submitAndWatchExtrinsic(api.createType('Extrinsic', hex), (s) => {
          if (s.isFinalized) resolve(s.asFinalized.toHex());
        })
        .catch(reject);
    });

  it('refuses a bad signature', async () => {
    const tx = await burn().signAsync(alice, { era: 16, nonce: 0 });
    const bytes = hexToU8a(tx.toHex());
    // Flip one bit in the amount: the signature no longer covers the call.
    bytes[bytes.length - 10]! ^= 1;
    await expect(submit(u8aToHex(bytes))).rejects.toThrow(/bad signature/);
  });

  it('includes a good one, then refuses the same nonce again and an era that ended', async () => {
    const tx = await burn().signAsync(alice, { era: 16, nonce: 0 });
    const block = await submit(tx.toHex());
    expect(node.blockAt(block)!.extrinsics[1]).toBe(tx.toHex());
    // Another transaction with the used nonce (a tip makes its bytes differ: @polkadot/api would answer an identical resubmission from its cache).
    const again = await burn().signAsync(alice, { era: 16, nonce: 0, tip: 1 });
    await expect(submit(again.toHex())).rejects.toThrow(/outdated/);
    const late = await burn().signAsync(alice, { era: 4, nonce: 1 });
    node.advance(8);
    // Eras are periodic: after its end the era names a newer birth block, so the signature no longer matches (Substrate's BadProof).
    await expect(submit(late.toHex())).rejects.toThrow(/bad signature/);
  });

  it('counts its pool in system_accountNextIndex, and includes a later nonce only after the earlier one', async () => {
    const start = node.author.nonceOf(alice.address);
    node.author.next.push('hold');
    const first = await burn().signAsync(alice, { era: 16, nonce: start });
    api.rpc.author.submitAndWatchExtrinsic(api.createType('Extrinsic', first.toHex()), () => undefined).catch(() => undefined);
    for (let i = 0; node.author.pooled().length === 0 && i < 100; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await api.rpc.system.accountNextIndex(alice.address)).toNumber()).toBe(start + 1);
    // Another transaction with the held one's nonce is refused while it waits; the next nonce waits behind it.
    const rival = await burn().signAsync(alice, { era: 16, nonce: start, tip: 1 });
    await expect(submit(rival.toHex())).rejects.toThrow(/Priority is too low/);
    const second = await burn().signAsync(alice, { era: 16, nonce: start + 1 });
    const landed = submit(second.toHex());
    await new Promise((r) => setTimeout(r, 50));
    expect(node.author.nonceOf(alice.address)).toBe(start);
    node.author.release();
    expect(node.blockAt(await landed)!.extrinsics[1]).toBe(second.toHex());
    expect(node.author.nonceOf(alice.address)).toBe(start + 2);
  });

  it('on a timer, makes a block every tick and finalizes it its lag behind', async () => {
    const timed = new FakeSubtensor({ blockMs: 25, finalityLag: 3 });
    const timedApi = await ApiPromise.create({ provider: new WsProvider(await timed.start()), noInitWarn: true });
    try {
      timed.author.fund(alice.address, 10_000_000_000n);
      const begin = timed.best.number;
      const tx = await timedApi.tx.subtensorModule!.addStakeBurn!(alice.address, 99, 5_000_000, 6_000_000).signAsync(alice, { era: 16, nonce: 0 });
      const seen: string[] = [];
      await new Promise<void>((resolve, reject) => {
        timedApi.rpc.author
          .submitAndWatchExtrinsic(timedApi.createType('Extrinsic', tx.toHex()), (s) => {
            seen.push(s.type);
            if (s.isInBlock) expect(timed.block.number).toBeLessThan(timed.blockAt(s.asInBlock.toHex())!.number);
            if (s.isFinalized) resolve();
          })
          .catch(reject);
      });
      expect(seen).toEqual(['Ready', 'InBlock', 'Finalized']);
      expect(timed.best.number).toBeGreaterThan(begin + 3);
      expect(timed.best.number - timed.block.number).toBe(3);
      const best = await timedApi.rpc.chain.getHeader();
      const finalized = await timedApi.rpc.chain.getHeader(await timedApi.rpc.chain.getFinalizedHead());
      expect(best.number.toNumber() - finalized.number.toNumber()).toBeGreaterThanOrEqual(3);
    } finally {
      await timedApi.disconnect();
      await timed.stop();
    }
  });
});
