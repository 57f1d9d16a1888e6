import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { FakeSubtensor, hasMetadata } from './support/fake-subtensor.js';

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
      api.rpc.author.submitAndWatchExtrinsic(api.createType('Extrinsic', hex), (s) => {
        if (s.isFinalized) resolve(s.asFinalized.toHex());
      }).catch(reject);
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
});
