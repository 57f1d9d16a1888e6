import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAddress } from '@polkadot/util-crypto';
import { stringToHex } from '@polkadot/util';
import { FakeSubtensor, hasMetadata, METADATA_FILE } from '../support/fake-subtensor.js';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

const NETUID = 36;
const hotkey = (uid: number) => encodeAddress(new Uint8Array(32).fill(0x40 + uid), 42);
const SHA = `sha256:${'9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'}`;
const HF = `hf:${'4e1243bd22c66e76c2ba9eddc1f91394e57f9f83'}`;
const v4 = (repo: string, digest: string, author: string) => stringToHex(`v4|${repo}|${digest}|${author}`);

if (!hasMetadata()) console.warn(`skipping the v4 commitment chain test: ${METADATA_FILE} is missing (see ../shared/chain/README.md).`);

/** Leoma's miners as mainnet has them: v4 reveals in RevealedCommitments, a copied one, a stale v3. */
describe.skipIf(!hasMetadata())('miner directory over v4 commitments (real runtime metadata, fake node)', () => {
  let chain: FakeSubtensor;
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    chain = new FakeSubtensor();
    chain.set('subtensorModule', 'tempo', [NETUID], 12);
    chain.set('subtensorModule', 'subnetOwnerHotkey', [NETUID], hotkey(0));
    chain.set('subtensorModule', 'incentive', [NETUID], [0, 40000, 30000, 20000, 10000]);
    for (const uid of [1, 2, 3, 4]) chain.set('subtensorModule', 'keys', [NETUID, uid], hotkey(uid));
    // uid 1: the king; an older reveal of another model is superseded by the latest.
    chain.set(
      'commitments',
      'revealedCommitments',
      [NETUID, hotkey(1)],
      [
        [v4('kingmaker/leoma-old', HF, hotkey(1)), 100],
        [v4('kingmaker/leoma-wan22', SHA, hotkey(1)), 220],
      ],
    );
    // uid 2: a copy of the king's commitment, still naming the king as author.
    chain.set('commitments', 'revealedCommitments', [NETUID, hotkey(2)], [[v4('kingmaker/leoma-wan22', SHA, hotkey(1)), 230]]);
    // uid 3: the retired format.
    chain.set('commitments', 'revealedCommitments', [NETUID, hotkey(3)], [[stringToHex(`v3|${SHA}|old/leoma-v3|${SHA}|${hotkey(3)}`), 90]]);
    // uid 4: a valid reveal, then a malformed latest one: left out, not served from the older one.
    chain.set(
      'commitments',
      'revealedCommitments',
      [NETUID, hotkey(4)],
      [
        [v4('fourth/leoma-x', HF, hotkey(4)), 50],
        [stringToHex(`v4|fourth/leoma-x|sha256:abc|${hotkey(4)}`), 60],
      ],
    );
    const url = await chain.start();
    app = await startTestApp({
      worker: true,
      backends: [
        { model: 'kingmaker/leoma-wan22', maxConcurrency: 2, loadedModel: { repo: 'kingmaker/leoma-wan22', digest: SHA } },
        { model: 'fourth/leoma-x', maxConcurrency: 2, loadedModel: { repo: 'fourth/leoma-x', digest: HF } },
      ],
      env: { SUBTENSOR_WS_URL: url, SUBNET_NETUID: String(NETUID), MINER_REFRESH_INTERVAL_MS: '300', BACKEND_HEALTH_INTERVAL_MS: '0' },
    });
    ({ key } = await app.tenant());
  });
  afterAll(async () => {
    await app?.close();
    await chain?.stop();
  });

  async function rankingAtHead(): Promise<Record<string, any>> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const m = (await (await app.request('/v1/admin/miners', { key: app.operatorKey })).json()) as Record<string, any>;
      if (m.block_number === chain.block.number) return m;
      if (Date.now() > deadline) throw new Error(`ranking still at block ${m.block_number}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('ranks exactly the one well-formed v4 commitment and says why the others are left out', async () => {
    const m = await rankingAtHead();
    expect(m.ranking).toEqual([{ rank: 1, uid: 1, hotkey: hotkey(1), incentive: 40000, model: 'kingmaker/leoma-wan22', model_revision: SHA }]);
    expect(m.unranked).toEqual([
      { uid: 2, hotkey: hotkey(2), incentive: 30000, reason: 'author_hotkey_mismatch' },
      { uid: 3, hotkey: hotkey(3), incentive: 20000, reason: 'stale_format' },
      { uid: 4, hotkey: hotkey(4), incentive: 10000, reason: 'commitment_unparseable' },
    ]);
  });

  it('makes the video with that model and records its digest, scheme included, as the revision', async () => {
    await rankingAtHead();
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: dataUri(makeImage('png')), duration_seconds: 1 } });
    expect(res.status).toBe(202);
    const done = await waitForStatus(app, key, ((await res.json()) as { id: string }).id, ['succeeded', 'failed']);
    expect(done.status).toBe('succeeded');
    expect(done.provenance).toEqual({
      model: 'kingmaker/leoma-wan22',
      model_revision: SHA,
      miner_hotkey: hotkey(1),
      miner_uid: 1,
      ranking_block: chain.block.number,
      backend_id: 'ref_0',
      attested_model: { repo: 'kingmaker/leoma-wan22', digest: SHA },
      model_rule: 'winner',
      // One native clip: no post-production step ran.
      steps: [],
    });
    expect(app.backends[1]!.stats().started).toBe(0);
  });
});
