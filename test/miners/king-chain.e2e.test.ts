import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAddress } from '@polkadot/util-crypto';
import { stringToHex } from '@polkadot/util';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';
import { createVideo, startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';

/**
 * Who is king with no dashboard configured: the chain. Validators weight the king chain equally,
 * so incentive ties across the king and four earlier kings; the king is the tied miner whose valid
 * reveal is newest (not the lowest UID), the reading says it is ambiguous, and a king that reveals
 * a new commitment has queued a challenger: the model it was crowned with is still served.
 */
const NETUID = 36;
const hotkey = (uid: number) => encodeAddress(new Uint8Array(32).fill(uid + 1), 42);
const digest = (n: number) => `sha256:${n.toString(16).padStart(2, '0').repeat(32)}`;
const v4 = (uid: number, repo: string, d: string) => stringToHex(`v4|${repo}|${d}|${hotkey(uid)}`);
const SHARE = 13_107; // 65535 / 5: the king chain's equal weights
const KING = 4;

type King = {
  model: string;
  model_revision: string;
  miner_uid: number;
  source: string;
  ambiguous: boolean;
  reign_number: null;
  live_duels: { model_revision: string; miner_uid: number }[];
  readings: { source: string; outcome: string; block_number: number }[];
};

describe.skipIf(!hasMetadata())('the king from the chain alone', () => {
  let chain: FakeSubtensor;
  let app: TestApp;
  let key: string;

  const king = async (): Promise<King> => ((await (await app.request('/v1/models')).json()) as { king: King }).king;
  const atBlock = (block: number) =>
    until(`a king reading at block ${block}`, async () => ((await king())?.readings[0]?.block_number === block ? king() : null), 20_000);

  beforeAll(async () => {
    chain = new FakeSubtensor();
    chain.set('subtensorModule', 'tempo', [NETUID], 10);
    chain.set('subtensorModule', 'subnetOwnerHotkey', [NETUID], hotkey(0));
    // Five kings, equal incentive: uids 1, 2, 3 and 5 were kings before uid 4, crowned last (its reveal is newest).
    chain.set('subtensorModule', 'incentive', [NETUID], [0, SHARE, SHARE, SHARE, SHARE, SHARE, 100]);
    for (const uid of [1, 2, 3, 4, 5, 6]) chain.set('subtensorModule', 'keys', [NETUID, uid], hotkey(uid));
    const revealedAt: Record<number, number> = { 1: 100, 2: 200, 3: 300, 5: 350, 4: 400, 6: 900 };
    for (const [uid, block] of Object.entries(revealedAt))
      chain.set(
        'commitments',
        'revealedCommitments',
        [NETUID, hotkey(Number(uid))],
        [[v4(Number(uid), `miner${uid}/leoma-wan22`, digest(Number(uid))), block]],
      );
    // uid 5's newest reveal is malformed: it is left out, not ranked on an older one.
    chain.set(
      'commitments',
      'revealedCommitments',
      [NETUID, hotkey(5)],
      [
        [v4(5, 'miner5/leoma-wan22', digest(5)), 350],
        [stringToHex('v4|junk'), 450],
      ],
    );
    const url = await chain.start();
    app = await startTestApp({
      worker: true,
      env: { SUBTENSOR_WS_URL: url, SUBNET_NETUID: String(NETUID), MINER_REFRESH_INTERVAL_MS: '300', BACKEND_HEALTH_INTERVAL_MS: '0' },
    });
    ({ key } = await app.tenant());
  });
  afterAll(async () => {
    await app?.close();
    await chain?.stop();
  });

  it('picks the tied miner with the newest valid reveal, not an earlier king with a lower UID, and says the reading is ambiguous', async () => {
    const k = await atBlock(chain.block.number);
    expect(k).toMatchObject({
      source: 'chain',
      ambiguous: true,
      miner_uid: KING,
      model: 'miner4/leoma-wan22',
      model_revision: digest(KING),
      reign_number: null,
      live_duels: [],
    });
    expect(k.readings).toEqual([expect.objectContaining({ source: 'chain', outcome: 'derived' })]);
    const admin = (await (await app.request('/v1/admin/miners', { key: app.operatorKey })).json()) as { ranking: { uid: number }[] };
    expect(admin.ranking.map((r) => r.uid)).toEqual([4, 3, 2, 1, 6]);
    expect(await (await app.request('/metrics')).text()).toMatch(/^leoma_king_reading_ambiguous 1$/m);
    const done = await waitForStatus(app, key, await createVideo(app, key, dataUri(makeImage('png'))), ['succeeded', 'failed']);
    expect(done.provenance).toMatchObject({ model: 'miner4/leoma-wan22', model_revision: digest(KING), miner_uid: KING });
  });

  it('keeps serving the crowned model when the king reveals a new commitment (a queued challenger)', async () => {
    chain.set(
      'commitments',
      'revealedCommitments',
      [NETUID, hotkey(KING)],
      [
        [v4(KING, 'miner4/leoma-wan22', digest(KING)), 400],
        [v4(KING, 'miner4/leoma-wan22-v2', digest(44)), 600],
      ],
    );
    chain.advance();
    const k = await atBlock(chain.block.number);
    expect(k).toMatchObject({
      miner_uid: KING,
      model: 'miner4/leoma-wan22',
      model_revision: digest(KING),
      live_duels: [{ model_revision: digest(44), miner_uid: KING }],
    });
    const done = await waitForStatus(app, key, await createVideo(app, key, dataUri(makeImage('png'))), ['succeeded', 'failed']);
    expect(done.provenance).toMatchObject({ model_revision: digest(KING), miner_uid: KING });
  });

  it('keeps the king when an earlier king of the chain reveals a newer commitment (a challenger, not a crowning)', async () => {
    chain.set(
      'commitments',
      'revealedCommitments',
      [NETUID, hotkey(1)],
      [
        [v4(1, 'miner1/leoma-wan22', digest(1)), 100],
        [v4(1, 'miner1/leoma-wan22-retry', digest(11)), 700],
      ],
    );
    chain.advance();
    const k = await atBlock(chain.block.number);
    expect(k).toMatchObject({ miner_uid: KING, model_revision: digest(KING), ambiguous: true });
  });

  it('follows a new king crowned on its latest reveal, and is unambiguous once incentive singles it out', async () => {
    chain.set('subtensorModule', 'incentive', [NETUID], [0, 0, 0, 0, SHARE, 0, 52_428]);
    chain.advance();
    const k = await atBlock(chain.block.number);
    expect(k).toMatchObject({ ambiguous: false, miner_uid: 6, model_revision: digest(6) });
    expect(await (await app.request('/metrics')).text()).toMatch(/^leoma_king_reading_ambiguous 0$/m);
  });
});
