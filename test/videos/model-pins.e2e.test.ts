import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeAddress } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVideo, startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';

/**
 * Customer pins against two real GPU servers (gpu/server, test-card renderer), each loaded with
 * another digest, while the king (read from a validator dashboard on 127.0.0.1) changes from the
 * first to the second: a pinned video and a batch (which pins the king at creation) still render
 * on the digest they pinned, a "winner" video follows the new king, and a pin no backend serves
 * is a 422 naming the models that can be pinned.
 */
const A = { repo: 'oldking/leoma-wan22', digest: `sha256:${'a1'.repeat(32)}` };
const B = { repo: 'newking/leoma-wan22', digest: `hf:${'b2'.repeat(20)}` };
const UNKNOWN = `nobody/leoma-wan22@sha256:${'ee'.repeat(32)}`;
const hotkey = (n: number) => encodeAddress(new Uint8Array(32).fill(n), 42);
const kingOf = (m: typeof A, uid: number, reign: number) => ({
  king: {
    hotkey: hotkey(uid),
    uid,
    model_repo: m.repo,
    model_digest: m.digest,
    reign_number: reign,
    crowned_at: '2026-12-01T10:00:00Z',
    crowned_block: 1000 * reign,
  },
  king_chain: [],
  queue: [],
  live_duels: [],
});
const image = dataUri(makeImage('png', '64x64'));

let dashboard = JSON.stringify(kingOf(A, 3, 1));
let server: http.Server;
let app: TestApp;
let key: string;

const servedKing = async () => ((await (await app.request('/v1/models')).json()) as { king: { model_revision: string; source: string } | null }).king;
const untilKing = (m: typeof A) =>
  until(`king ${m.digest}`, async () => (await servedKing())?.model_revision === m.digest && (await servedKing())?.source === 'dashboards', 20_000);
/** Both backends' health answers are in (READY with their digest): a pin is checked against them. */
const untilPinnable = () =>
  until(
    'both digests pinnable',
    async () => {
      const res = await app.request('/v1/videos/estimate', { method: 'POST', key, json: { prompt: 'p', duration_seconds: 1, model: UNKNOWN } });
      const pinnable = ((await res.json()) as { refused: { message: string } | null }).refused?.message ?? '';
      return pinnable.includes(A.digest) && pinnable.includes(B.digest);
    },
    20_000,
    200,
  );

beforeAll(async () => {
  server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(dashboard));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  app = await startTestApp({
    worker: true,
    // The old king's server renders one video at a time, slowly: the batch's second item waits for it while the king changes.
    backends: [
      { loadedModel: A, model: A.repo, modelRevision: A.digest, maxConcurrency: 1, delayMs: 1500 },
      { loadedModel: B, model: B.repo, modelRevision: B.digest, maxConcurrency: 4 },
    ],
    env: {
      KING_DASHBOARD_URLS: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dashboard.json`,
      KING_DASHBOARD_ALLOW_PRIVATE_URLS: 'true',
      KING_REFRESH_INTERVAL_MS: '200',
      BACKEND_HEALTH_INTERVAL_MS: '1000',
    },
  });
  ({ key } = await app.tenant());
  await untilKing(A);
  await untilPinnable();
});
afterAll(async () => {
  await app?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

describe('model pins', () => {
  it('refuses a pin to a digest no backend serves with a 422 naming the models that can be pinned', async () => {
    for (const [path, body] of [
      ['/v1/videos', { prompt: 'p', image, duration_seconds: 1, model: UNKNOWN }],
      ['/v1/batches', { items: [{ custom_id: 'a', image, prompt: 'p', duration_seconds: 1 }], model: UNKNOWN }],
    ] as const) {
      const res = await app.request(path, { method: 'POST', key, json: body });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await res.json()) as { code: string; pinnable: string[] };
      expect(problem).toMatchObject({ code: 'model_not_servable', pinnable: [`${B.repo}@${B.digest}`, `${A.repo}@${A.digest}`] });
    }
    const estimate = (await (
      await app.request('/v1/videos/estimate', { method: 'POST', key, json: { prompt: 'p', duration_seconds: 1, model: UNKNOWN } })
    ).json()) as { refused: { code: string } };
    expect(estimate.refused).toMatchObject({ code: 'model_not_servable' });
    const malformed = await app.request('/v1/videos', {
      method: 'POST',
      key,
      json: { prompt: 'p', image, duration_seconds: 1, model: 'oldking/leoma-wan22@main' },
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { errors: { param: string }[] }).errors[0]).toMatchObject({ param: 'model' });
    expect(Number((await app.sql('select count(*) as n from videos'))[0]!.n)).toBe(0);
  });

  it('renders a pinned batch and a pinned video on the pinned digest after the king changed; a winner video follows the new king', async () => {
    const created = await app.request('/v1/batches', {
      method: 'POST',
      key,
      json: { items: [1, 2, 3].map((i) => ({ custom_id: `item-${i}`, image, prompt: 'p', duration_seconds: 1 })) },
    });
    expect(created.status).toBe(202);
    const batch = (await created.json()) as { id: string; model: object };
    expect(batch.model).toEqual({ rule: 'pinned_at_creation', repo: A.repo, digest: A.digest });

    dashboard = JSON.stringify(kingOf(B, 9, 2));
    await untilKing(B);
    const changedAt = Date.now();

    const pinned = await createVideo(app, key, image, { model: `${A.repo}@${A.digest}` });
    const winner = await createVideo(app, key, image);
    const [p, w] = await Promise.all([waitForStatus(app, key, pinned, ['succeeded', 'failed']), waitForStatus(app, key, winner, ['succeeded', 'failed'])]);
    expect(p).toMatchObject({
      status: 'succeeded',
      model: `${A.repo}@${A.digest}`,
      provenance: { model: A.repo, model_revision: A.digest, model_rule: 'pin', backend_id: 'ref_0', attested_model: A },
    });
    expect(w).toMatchObject({
      status: 'succeeded',
      model: 'winner',
      provenance: { model: B.repo, model_revision: B.digest, model_rule: 'winner', backend_id: 'ref_1', attested_model: B, miner_uid: 9 },
    });

    await until(
      'the batch to finish',
      async () => ((await (await app.request(`/v1/batches/${batch.id}`, { key })).json()) as { status: string }).status === 'completed',
      60_000,
      200,
    );
    const items = ((await (await app.request(`/v1/videos?batch_id=${batch.id}`, { key })).json()) as { data: Record<string, any>[] }).data;
    expect(items).toHaveLength(3);
    for (const item of items)
      expect(item).toMatchObject({
        status: 'succeeded',
        model: `${A.repo}@${A.digest}`,
        provenance: { model_revision: A.digest, model_rule: 'pin', backend_id: 'ref_0', attested_model: A },
      });
    // At one video at a time and 1.5 s each, at least one item rendered after the king changed.
    expect(Math.max(...items.map((i) => Date.parse(i.completed_at)))).toBeGreaterThan(changedAt);
    // Waits and whole times are told apart by the model pinned, else `king`.
    const scrape = await (await app.request('/metrics')).text();
    expect(scrape).toMatch(new RegExp(`^leoma_video_queue_wait_seconds_count\\{[^}]*batch="true",model="${A.repo}"\\} 3$`, 'm'));
    expect(scrape).toMatch(new RegExp(`^leoma_video_end_to_end_seconds_count\\{[^}]*batch="false",model="${A.repo}",outcome="succeeded"\\} 1$`, 'm'));
    expect(scrape).toMatch(/^leoma_video_end_to_end_seconds_count\{[^}]*batch="false",model="king",outcome="succeeded"\} [1-9]/m);
  });

  it('lets a batch follow the winner when asked', async () => {
    const created = await app.request('/v1/batches', {
      method: 'POST',
      key,
      json: { items: [{ custom_id: 'w', image, prompt: 'p', duration_seconds: 1 }], model: 'winner' },
    });
    const batch = (await created.json()) as { id: string; model: object };
    expect(batch.model).toEqual({ rule: 'winner', repo: null, digest: null });
    await until(
      'the batch to finish',
      async () => ((await (await app.request(`/v1/batches/${batch.id}`, { key })).json()) as { status: string }).status === 'completed',
      60_000,
      200,
    );
    const [item] = ((await (await app.request(`/v1/videos?batch_id=${batch.id}`, { key })).json()) as { data: Record<string, any>[] }).data;
    expect(item).toMatchObject({ model: 'winner', provenance: { model_revision: B.digest, model_rule: 'winner' } });
  });
});
