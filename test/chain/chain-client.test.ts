import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../tools/dev/free-port.js';
import { ChainClient } from '../../src/chain/chain-client.js';
import { chainEnv } from '../../src/chain/chain.env.js';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';

// Without the metadata file miner-directory.e2e.test.ts prints how to provide it.
describe.skipIf(!hasMetadata())('chain client', () => {
  let node: FakeSubtensor;
  let client: ChainClient;
  let port: number;

  beforeAll(async () => {
    node = new FakeSubtensor();
    port = await freePort();
    process.env.SUBTENSOR_WS_URL = `ws://127.0.0.1:${port}`;
    chainEnv.reload();
    client = new ChainClient();
  });
  afterAll(async () => {
    await client.onModuleDestroy();
    await node.stop();
  });

  it('waits for a node that is down at start, then reads at the finalized block', async () => {
    const reading = client.atFinalized(async (at, block) => ({ block, tempo: Number((await at.query.subtensorModule!.tempo!(7)).toString()) }));
    await new Promise((r) => setTimeout(r, 1_200));
    node.set('subtensorModule', 'tempo', [7], 99);
    await node.start(port);
    expect(await reading).toEqual({ block: node.block, tempo: 99 });
  });

  it('pins every read to the block it started at while the head moves on', async () => {
    const pinned = node.block.hash;
    node.readsAt.length = 0;
    await client.atFinalized(async (at) => {
      // Items not read before: the provider caches identical requests.
      await at.query.subtensorModule!.subnetworkN!(7);
      node.advance();
      await at.query.subtensorModule!.incentive!(7);
    });
    expect(node.block.hash).not.toBe(pinned);
    expect(node.readsAt).toEqual([pinned, pinned]);
  });
});
