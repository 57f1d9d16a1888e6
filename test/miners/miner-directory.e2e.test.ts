import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAddress } from '@polkadot/util-crypto';
import { stringToHex } from '@polkadot/util';
import { FakeSubtensor, hasMetadata, METADATA_FILE } from '../support/fake-subtensor.js';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

const NETUID = 42;
const hotkey = (uid: number) => encodeAddress(new Uint8Array(32).fill(uid + 1), 42);
const OWNER = hotkey(0);

if (!hasMetadata()) {
  console.warn(
    `skipping the chain tests: ${METADATA_FILE} is missing. Save one with "npm run build && node dist/scripts/save-subtensor-metadata.js <subtensor ws url> <file>" and point SUBTENSOR_METADATA_FILE at it.`,
  );
}

describe.skipIf(!hasMetadata())('miner directory read from subtensor (real runtime metadata, fake node)', () => {
  let chain: FakeSubtensor;
  let url: string;
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    chain = new FakeSubtensor();
    // Values differ from the runtime defaults (Tempo 360, empty Incentive), so a read of an unseeded key shows up.
    chain.set('subtensorModule', 'tempo', [NETUID], 10);
    chain.set('subtensorModule', 'subnetOwnerHotkey', [NETUID], OWNER);
    chain.set('subtensorModule', 'incentive', [NETUID], [9000, 30000, 50000, 20000, 5000, 0, 1000]);
    for (const uid of [0, 1, 2, 3, 4, 6]) chain.set('subtensorModule', 'keys', [NETUID, uid], hotkey(uid));
    // uid 2: a revealed commitment; the newest one (block 10) wins over older junk.
    chain.set(
      'commitments',
      'revealedCommitments',
      [NETUID, hotkey(2)],
      [
        [stringToHex('garbage!'), 5],
        [stringToHex('{"model":"acme/best","revision":"abc123"}'), 10],
      ],
    );
    // uid 1: a plain commitment in Raw fields.
    chain.set('commitments', 'commitmentOf', [NETUID, hotkey(1)], { deposit: 0, block: 7, info: { fields: [{ Raw14: stringToHex('acme/second@v7') }] } });
    // uid 3: junk; uid 4: nothing; uid 6: a repository with a path-traversal revision.
    chain.set('commitments', 'revealedCommitments', [NETUID, hotkey(3)], [[stringToHex('DROP TABLE miners; --'), 3]]);
    chain.set('commitments', 'revealedCommitments', [NETUID, hotkey(6)], [[stringToHex('acme/x@../../etc'), 3]]);
    // uid 0 is the owner's burn uid: it commits a model but must never be ranked.
    chain.set('commitments', 'revealedCommitments', [NETUID, hotkey(0)], [[stringToHex('owner/model@1'), 3]]);
    url = await chain.start();
    app = await startTestApp({
      worker: true,
      backends: [
        { model: 'acme/best', maxConcurrency: 2 },
        { model: 'acme/second', maxConcurrency: 2 },
      ],
      env: { SUBTENSOR_WS_URL: url, SUBNET_NETUID: String(NETUID), MINER_REFRESH_INTERVAL_MS: '300', BACKEND_HEALTH_INTERVAL_MS: '0' },
    });
    ({ key } = await app.tenant());
  });
  afterAll(async () => {
    await app?.close();
    await chain?.stop();
  });

  async function miners(): Promise<Record<string, any>> {
    return (await app.request('/v1/admin/miners', { key: app.operatorKey })).json() as Promise<Record<string, any>>;
  }

  async function untilBlock(block: number): Promise<Record<string, any>> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const m = await miners();
      if (m.block_number === block) return m;
      if (Date.now() > deadline) throw new Error(`ranking still at block ${m.block_number}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('ranks miners by incentive at a pinned block, skipping the owner uid and junk commitments', async () => {
    const m = await untilBlock(chain.block.number);
    expect(m).toMatchObject({ object: 'miner_ranking', source: 'chain', netuid: NETUID, block_hash: chain.block.hash });
    expect(m.ranking).toEqual([
      { rank: 1, uid: 2, hotkey: hotkey(2), incentive: 50000, model: 'acme/best', model_revision: 'abc123' },
      { rank: 2, uid: 1, hotkey: hotkey(1), incentive: 30000, model: 'acme/second', model_revision: 'v7' },
    ]);
    expect(m.unranked).toEqual([
      { uid: 3, hotkey: hotkey(3), incentive: 20000, reason: 'commitment_unparseable' },
      { uid: 0, hotkey: hotkey(0), incentive: 9000, reason: 'owner_uid' },
      { uid: 4, hotkey: hotkey(4), incentive: 5000, reason: 'no_commitment' },
      { uid: 6, hotkey: hotkey(6), incentive: 1000, reason: 'commitment_unparseable' },
    ]);
  });

  it('shows tenants the ranked models and stamps videos with the winning miner and block', async () => {
    const models = (await (await app.request('/v1/models', { key })).json()) as Record<string, any>;
    expect(models).toMatchObject({
      object: 'list',
      ranking_block: chain.block.number,
      data: [
        { model: 'acme/best', rank: 1, miner_uid: 2 },
        { model: 'acme/second', rank: 2 },
      ],
    });
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: dataUri(makeImage('png')), duration_seconds: 1 } });
    const done = await waitForStatus(app, key, ((await res.json()) as { id: string }).id, ['succeeded', 'failed']);
    expect(done.provenance).toEqual({
      model: 'acme/best',
      model_revision: 'abc123',
      miner_hotkey: hotkey(2),
      miner_uid: 2,
      ranking_block: chain.block.number,
      backend_id: 'ref_0',
      attested_model: null,
      model_rule: 'winner',
      // One native clip: no post-production step ran.
      steps: [],
    });
  });

  it('stores a snapshot per new block and follows a change of winner', async () => {
    const first = chain.block.number;
    chain.set('subtensorModule', 'incentive', [NETUID], [9000, 60000, 50000, 20000, 5000, 0, 1000]);
    chain.advance();
    const m = await untilBlock(chain.block.number);
    expect(m.ranking.map((r: { uid: number }) => r.uid)).toEqual([1, 2]);
    const rows = await app.sql('select block_number, tempo from miner_snapshots order by id');
    // Refreshes every 300 ms, yet one row per block.
    expect(rows).toEqual([
      { block_number: String(first), tempo: 10 },
      { block_number: String(first + 1), tempo: 10 },
    ]);
  });

  it('reconnects when the node goes away and comes back, and keeps refreshing', async () => {
    const port = Number(new URL(url).port);
    await chain.stop();
    chain.advance();
    await new Promise((r) => setTimeout(r, 500));
    await chain.start(port);
    const m = await untilBlock(chain.block.number);
    expect(m.block_hash).toBe(chain.block.hash);
  });
});
