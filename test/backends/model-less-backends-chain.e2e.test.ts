import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAddress } from '@polkadot/util-crypto';
import { stringToHex } from '@polkadot/util';
import { FakeSubtensor, hasMetadata, METADATA_FILE } from '../support/fake-subtensor.js';
import { startReferenceBackend, type ReferenceBackend } from '../../gpu/server/server.js';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

const NETUID = 36;
const hotkey = (uid: number) => encodeAddress(new Uint8Array(32).fill(0x50 + uid), 42);
const KING = { repo: 'kingmaker/leoma-wan22', digest: `sha256:${'7d'.repeat(32)}` };

if (!hasMetadata()) console.warn(`skipping the model-less backends chain test: ${METADATA_FILE} is missing (see ../shared/chain/README.md).`);

/**
 * Backends configured without a model (the GPU_BACKEND_URL shorthand, the sandbox pool) serve
 * whatever is ranked. They used to be bound to MODEL_RANKING[0] (the config ranking's stand-in
 * model), so once the ranking came from chain nothing served the king and every video ended
 * `no_backend_available`.
 */
describe.skipIf(!hasMetadata())('model-less backends when the ranking comes from chain', () => {
  let chain: FakeSubtensor;
  let sandbox: ReferenceBackend;
  let app: TestApp;

  beforeAll(async () => {
    chain = new FakeSubtensor();
    chain.set('subtensorModule', 'tempo', [NETUID], 12);
    chain.set('subtensorModule', 'subnetOwnerHotkey', [NETUID], hotkey(0));
    chain.set('subtensorModule', 'incentive', [NETUID], [0, 50000]);
    chain.set('subtensorModule', 'keys', [NETUID, 1], hotkey(1));
    chain.set('commitments', 'revealedCommitments', [NETUID, hotkey(1)], [[stringToHex(`v4|${KING.repo}|${KING.digest}|${hotkey(1)}`), 200]]);
    const url = await chain.start();
    sandbox = await startReferenceBackend({ maxConcurrency: 2 });
    // The default test app: one reference backend through the GPU_BACKEND_URL shorthand, no model named.
    app = await startTestApp({
      worker: true,
      env: {
        SUBTENSOR_WS_URL: url,
        SUBNET_NETUID: String(NETUID),
        MINER_REFRESH_INTERVAL_MS: '300',
        BACKEND_HEALTH_INTERVAL_MS: '0',
        SANDBOX_GPU_BACKENDS: JSON.stringify([{ id: 'sandbox', url: sandbox.url, max_concurrency: 2 }]),
      },
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const m = (await (await app.request('/v1/admin/miners', { key: app.operatorKey })).json()) as { block_number: number | null; ranking: unknown[] };
      if (m.block_number === chain.block.number && m.ranking.length === 1) break;
      if (Date.now() > deadline) throw new Error('the chain ranking never arrived');
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
    await chain?.stop();
  });

  const create = async (key: string) => {
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: dataUri(makeImage('png')), duration_seconds: 1 } });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  };

  it('renders the king on the GPU_BACKEND_URL backend, unattested (a test card with no model loaded)', async () => {
    const { key } = await app.tenant();
    const done = await waitForStatus(app, key, await create(key), ['succeeded', 'failed']);
    expect(done).toMatchObject({
      status: 'succeeded',
      provenance: { model: KING.repo, model_revision: KING.digest, miner_uid: 1, backend_id: 'cfg_default', attested_model: null },
    });
    // Nothing loaded there: the job does not name the model (the server would refuse it), and it attests none.
    expect(app.backend.stats()).toMatchObject({ refusedModel: 0, lastInput: { prompt: 'p' } });
    expect(app.backend.stats().lastInput).not.toHaveProperty('model');
  });

  it('renders a test-mode video on the sandbox backend', async () => {
    const { key } = await app.tenant({ mode: 'test' });
    const before = app.backend.stats().started;
    const done = await waitForStatus(app, key, await create(key), ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'succeeded', livemode: false, provenance: { model: KING.repo, backend_id: 'sandbox' } });
    expect(app.backend.stats().started).toBe(before);
  });
});
