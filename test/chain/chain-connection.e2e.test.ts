import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { MinerDirectory } from '../../src/miners/miner-directory.service.js';
import { BurnChain } from '../../src/treasury/chain/burn-chain.js';

/**
 * Each process holds one connection to subtensor, however many of its modules read the chain: the
 * worker's miner directory and its treasury share it, and the API has its own.
 */
describe.skipIf(!hasMetadata())('one subtensor connection per process', () => {
  let node: FakeSubtensor;
  let app: TestApp;

  beforeAll(async () => {
    node = new FakeSubtensor();
    app = await startTestApp({
      worker: true,
      env: { SUBTENSOR_WS_URL: await node.start(), SUBNET_NETUID: '99', MINER_REFRESH_INTERVAL_MS: '600000', BACKEND_HEALTH_INTERVAL_MS: '0' },
    });
  });
  afterAll(async () => {
    await app?.close();
    await node?.stop();
  });

  it('the worker reads the subnet and the treasury reads the chain over one connection; the API opens one more', async () => {
    await app.worker!.get(MinerDirectory).refresh();
    await app.worker!.get(BurnChain).finalizedNumber();
    expect(node.connections).toBe(1);
    await app.api.get(BurnChain).finalizedNumber();
    expect(node.connections).toBe(2);
    // Each call is timed by method and outcome at /metrics.
    const scrape = await (await app.request('/metrics')).text();
    expect(scrape).toMatch(/^leoma_chain_rpc_duration_seconds_count\{method="chain_\w+",outcome="ok"\} [1-9]/m);
  });
});
