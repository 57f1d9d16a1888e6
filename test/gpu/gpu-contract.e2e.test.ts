import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGpuServer, startReferenceBackend, type ReferenceBackend } from '../../gpu/server/server.js';
import { testCardRenderer } from '../../gpu/server/test-card-renderer.js';
import { wanRenderer } from '../../gpu/server/wan-renderer.js';
import { localWeightSource } from '../../gpu/server/weight-source.js';
import { probeVideo } from '../../src/platform/media/ffprobe.js';
import { createVideo, startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { startRewritingProxy } from '../support/rewriting-proxy.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';

/**
 * The GPU contract from the API's side, against the real GPU server (gpu/server, test-card
 * renderer) started with `--model repo@digest`: each call names the model by digest, a server with
 * another model loaded refuses (422 model_not_loaded) and the next backend is tried without a
 * failed attempt or a circuit fault, the answer's attested digest is checked and kept in the
 * video's provenance, and the health poll keeps each backend's loaded model.
 */
const KING = { repo: 'kingmaker/leoma-wan22', digest: `sha256:${'a1'.repeat(32)}` };
const OTHER = { repo: 'kingmaker/leoma-wan22', digest: `hf:${'b2'.repeat(20)}` };
const RUNNER = { repo: 'runner/leoma-wan22', digest: `sha256:${'c3'.repeat(32)}` };
const image = dataUri(makeImage('png', '64x64'));
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function gpu(opts: Parameters<typeof startReferenceBackend>[0]): Promise<ReferenceBackend> {
  const server = await startReferenceBackend({ maxConcurrency: 4, ...opts });
  closers.push(() => server.close());
  return server;
}

/** A GPU server that renders for real and then changes the model its answer attests (or removes it). */
async function startMisattesting(upstream: ReferenceBackend): Promise<{ url: string; calls: () => number; attest: (m: object | undefined) => void }> {
  let attested: object | undefined = OTHER;
  const proxy = await startRewritingProxy(upstream.url, (prediction) => {
    if (attested) prediction.model = attested;
    else delete prediction.model;
  });
  closers.push(proxy.close);
  return { url: proxy.url, calls: proxy.calls, attest: (m) => void (attested = m) };
}

async function startApp(opts: Parameters<typeof startTestApp>[0]): Promise<TestApp> {
  const app = await startTestApp({ worker: true, ...opts });
  closers.push(() => app.close());
  return app;
}

const backendsOf = async (app: TestApp) =>
  ((await (await app.request('/v1/admin/backends', { key: app.operatorKey })).json()) as { data: Record<string, any>[] }).data;

describe("the king's backend, end to end", () => {
  let app: TestApp;
  let king: ReferenceBackend;
  let stale: ReferenceBackend;

  beforeAll(async () => {
    king = await gpu({ loadedModel: KING });
    // Registered for the king's digest too, but another snapshot is loaded there.
    stale = await gpu({ loadedModel: OTHER });
    // Registered for the king, still downloading it (a fetch that never ends): STARTING, answering 503.
    const starting = await startGpuServer({
      loadedModel: KING,
      weights: {
        fetch: (_m, _p, signal) => new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))),
        cacheUsage: async () => ({ freeBytes: 1 << 30, usedBytes: 0 }),
      },
    });
    closers.push(() => starting.close());
    const registered = (id: string, url: string) => ({ id, url, model: KING.repo, model_revision: KING.digest, max_concurrency: 4 });
    app = await startApp({
      backends: [{}],
      env: {
        MODEL_RANKING: JSON.stringify([{ model: KING.repo, model_revision: KING.digest, miner_hotkey: '5Fking', miner_uid: 3 }]),
        GPU_BACKENDS: JSON.stringify([registered('ref_0', king.url), registered('ref_1', stale.url), registered('starting', starting.url)]),
        // The health call's deadline is the interval (at most 5 s): 200 ms timed out on a loaded
        // 2-core machine, took the king's backend out as `down`, and its videos failed.
        BACKEND_HEALTH_INTERVAL_MS: '1000',
        // One 503 from the starting backend would open its circuit.
        BREAKER_FAILURE_THRESHOLD: '1',
      },
    });
  });

  it('shows each backend’s loaded model, renderer and progress, and flags the one that loaded another digest', async () => {
    const listed = await until('the health readings', async () => {
      const data = await backendsOf(app);
      return data.every((b) => b.health !== 'unknown') && data;
    });
    expect(listed.find((b) => b.id === 'ref_0')).toMatchObject({
      health: 'ready',
      loaded_model: KING,
      renderer: 'test-card',
      progress: { phase: 'ready' },
      model_mismatch: false,
    });
    expect(listed.find((b) => b.id === 'ref_1')).toMatchObject({ health: 'ready', loaded_model: OTHER, renderer: 'test-card', model_mismatch: true });
    expect(listed.find((b) => b.id === 'starting')).toMatchObject({
      health: 'starting',
      loaded_model: KING,
      progress: { phase: 'fetching' },
      model_mismatch: false,
    });
  });

  it('renders on the backend that loaded the king, naming the king; the provenance keeps the attested digest; the others get no work', async () => {
    await until("the stale backend flagged and the king's ready", async () => {
      const data = await backendsOf(app);
      return data.find((b) => b.id === 'ref_1')?.model_mismatch && data.find((b) => b.id === 'ref_0')?.health === 'ready';
    });
    const { key } = await app.tenant();
    const ids = await Promise.all([1, 2, 3, 4].map(() => createVideo(app, key, image)));
    for (const id of ids) {
      const done = await waitForStatus(app, key, id, ['succeeded', 'failed']);
      expect(done).toMatchObject({
        status: 'succeeded',
        provenance: { model: KING.repo, model_revision: KING.digest, miner_uid: 3, backend_id: 'ref_0', attested_model: KING },
      });
    }
    expect(king.stats().lastInput).toMatchObject({ model: KING });
    expect(stale.stats()).toMatchObject({ started: 0, refusedModel: 0 });
    expect((await backendsOf(app)).find((b) => b.id === 'starting')?.circuit).toBe('closed');

    // The stored MP4 is what ffprobe says it should be: H.264, the size and frame rate asked.
    const content = await app.request(`/v1/videos/${ids[0]}/content`, { key });
    expect(content.status).toBe(302);
    const dir = await mkdtemp(join(tmpdir(), 'gpu-contract-'));
    try {
      const file = join(dir, 'out.mp4');
      await writeFile(file, Buffer.from(await (await fetch(content.headers.get('location')!)).arrayBuffer()));
      expect(await probeVideo(file)).toMatchObject({ codec: 'h264', width: 832, height: 480, fps: 16 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('failover on the contract’s refusals', () => {
  let app: TestApp;
  let stale: ReferenceBackend;
  let runner: ReferenceBackend;
  let liar: Awaited<ReturnType<typeof startMisattesting>>;

  beforeAll(async () => {
    stale = await gpu({ loadedModel: OTHER });
    liar = await startMisattesting(await gpu({ loadedModel: KING }));
    runner = await gpu({ loadedModel: RUNNER });
    // No health poll: nothing keeps `stale` away but its own refusal. Two calls per video: a
    // refusal counted as an attempt would leave none for the runner-up.
    app = await startApp({
      backends: [{}],
      env: {
        MODEL_RANKING: JSON.stringify([
          { model: KING.repo, model_revision: KING.digest, miner_hotkey: '5Fking', miner_uid: 3 },
          { model: RUNNER.repo, model_revision: RUNNER.digest, miner_hotkey: '5Frunner', miner_uid: 4 },
        ]),
        GPU_BACKENDS: JSON.stringify([
          { id: 'stale', url: stale.url, model: KING.repo, model_revision: KING.digest, max_concurrency: 4 },
          { id: 'liar', url: liar.url, model: KING.repo, model_revision: KING.digest, max_concurrency: 4 },
          { id: 'runner', url: runner.url, protocol: 'generate', model: RUNNER.repo, model_revision: RUNNER.digest, max_concurrency: 4 },
        ]),
        BACKEND_HEALTH_INTERVAL_MS: '0',
        DISPATCH_MAX_ATTEMPTS: '2',
        VIDEO_MAX_ATTEMPTS: '1',
        BREAKER_FAILURE_THRESHOLD: '1',
        BREAKER_OPEN_MS: '200',
      },
    });
  });

  it('a 422 model_not_loaded tries the next backend without an attempt or a circuit fault; an answer attesting another digest fails over and counts', async () => {
    const { key } = await app.tenant();
    const done = await waitForStatus(app, key, await createVideo(app, key, image), ['succeeded', 'failed']);
    // The king's two backends: one refused, one lied; the runner-up rendered it over /generate, attesting its digest.
    expect(done).toMatchObject({
      status: 'succeeded',
      provenance: { model: RUNNER.repo, model_revision: RUNNER.digest, miner_uid: 4, backend_id: 'runner', attested_model: RUNNER },
    });
    expect(stale.stats()).toMatchObject({ refusedModel: 1, started: 0 });
    expect(liar.calls()).toBe(1);
    expect(runner.stats().lastInput).toMatchObject({ model: RUNNER });
    const circuits = Object.fromEntries((await backendsOf(app)).map((b) => [b.id, b.circuit]));
    expect(circuits).toMatchObject({ stale: 'closed', runner: 'closed' });
    // Opened by its one fault (half-open again after BREAKER_OPEN_MS).
    expect(circuits.liar).not.toBe('closed');
  });

  it('an answer attesting no model from a backend registered for one fails over too', async () => {
    liar.attest(undefined);
    await until('the liar’s circuit half-open', async () => (await backendsOf(app)).find((b) => b.id === 'liar')?.circuit === 'half_open');
    const { key } = await app.tenant();
    const done = await waitForStatus(app, key, await createVideo(app, key, image), ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'succeeded', provenance: { backend_id: 'runner', attested_model: RUNNER } });
    expect(liar.calls()).toBe(2);
    expect(stale.stats().refusedModel).toBe(2);
  });

  it('fails the video uncharged when every backend refuses or lies', async () => {
    liar.attest(OTHER);
    runner.configure({ failRate: 1 });
    try {
      await until('the liar’s circuit half-open', async () => (await backendsOf(app)).find((b) => b.id === 'liar')?.circuit === 'half_open');
      const { key } = await app.tenant();
      const done = await waitForStatus(app, key, await createVideo(app, key, image), ['succeeded', 'failed']);
      expect(done).toMatchObject({ status: 'failed', provenance: null });
      expect(await app.sql('SELECT 1 FROM usage_records WHERE video_id = $1', [done.id])).toEqual([]);
    } finally {
      runner.configure({ failRate: 0 });
    }
  });
});

describe('test-mode videos and production GPUs', () => {
  let app: TestApp;
  let registered: ReferenceBackend;
  let production: ReferenceBackend;
  let card: ReferenceBackend;

  beforeAll(async () => {
    registered = await gpu({ loadedModel: KING });
    // A model-less backend that runs the real model: its health answer says `wan2.2` (a stand-in renderer by that name).
    production = await gpu({ renderer: { ...testCardRenderer({ renderSize: () => null }), name: 'wan2.2' } });
    card = await gpu({});
    // Outside production and no sandbox pool: test videos may only use the model-less test-card backends.
    app = await startApp({
      backends: [{}],
      env: {
        MODEL_RANKING: JSON.stringify([{ model: KING.repo, model_revision: KING.digest }]),
        GPU_BACKENDS: JSON.stringify([
          { id: 'registered', url: registered.url, model: KING.repo, model_revision: KING.digest, max_concurrency: 4 },
          { id: 'production', url: production.url, max_concurrency: 4 },
          { id: 'card', url: card.url, max_concurrency: 4 },
        ]),
        BACKEND_HEALTH_INTERVAL_MS: '200',
      },
    });
    await until('the renderers', async () => (await backendsOf(app)).find((b) => b.id === 'production')?.renderer === 'wan2.2');
  });

  it('render on the test card only, never on a backend registered for a model nor one that renders with the real model', async () => {
    const { key } = await app.tenant({ mode: 'test' });
    // One at a time: test mode's own concurrency limit.
    for (let i = 0; i < 3; i++) {
      const done = await waitForStatus(app, key, await createVideo(app, key, image), ['succeeded', 'failed']);
      expect(done).toMatchObject({ status: 'succeeded', livemode: false, provenance: { backend_id: 'card', attested_model: null } });
    }
    expect(registered.stats().started + production.stats().started).toBe(0);
  });

  it('fail with no_backend_available when only production GPUs are there', async () => {
    await card.close();
    await until('the card backend down', async () => (await backendsOf(app)).find((b) => b.id === 'card')?.health === 'down');
    const { key } = await app.tenant({ mode: 'test' });
    const done = await waitForStatus(app, key, await createVideo(app, key, image), ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'failed', error: { code: 'no_backend_available' } });
    expect(registered.stats().started + production.stats().started).toBe(0);
  });
});

describe('the Wan 2.2 renderer through the API (the Python worker, stand-in torch/diffusers)', () => {
  let app: TestApp;
  let dir: string;
  let record: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpu-contract-wan-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const snapshot = join(dir, 'snapshot');
    await mkdir(snapshot);
    await writeFile(join(snapshot, 'model_index.json'), JSON.stringify({ _class_name: 'WanImageToVideoPipeline' }));
    record = join(dir, 'record.jsonl');
    const renderer = wanRenderer({
      placement: 'model',
      python: '/usr/bin/python3',
      pythonPath: [resolve('test/fixtures/wan-standin')],
      env: { PYTHONDONTWRITEBYTECODE: '1', LEOMA_STANDIN_RECORD: record, LEOMA_STANDIN_STEP_SECONDS: '0' },
    });
    const server = await startGpuServer({ loadedModel: KING, renderer, weights: localWeightSource(snapshot), warmUp: null });
    closers.push(() => server.close());
    await server.ready;
    app = await startApp({
      backends: [{}],
      env: {
        MODEL_RANKING: JSON.stringify([{ model: KING.repo, model_revision: KING.digest, miner_hotkey: '5Fking', miner_uid: 3 }]),
        GPU_BACKENDS: JSON.stringify([{ id: 'wan', url: server.url, model: KING.repo, model_revision: KING.digest, max_concurrency: 1 }]),
        BACKEND_HEALTH_INTERVAL_MS: '0',
      },
    });
  });

  it('renders the subnet’s 81 frames at 832×480, 16 fps: an H.264 MP4 whose provenance names the attested digest', async () => {
    const { key } = await app.tenant();
    const id = await createVideo(app, key, dataUri(makeImage('png', '320x240')), { duration_seconds: 5, prompt: 'a fox runs through snow', seed: 1234 });
    const done = await waitForStatus(app, key, id, ['succeeded', 'failed'], 120_000);
    expect(done).toMatchObject({
      status: 'succeeded',
      frames: 81,
      output: { width: 832, height: 480, fps: 16 },
      provenance: { model: KING.repo, model_revision: KING.digest, backend_id: 'wan', attested_model: KING },
    });
    const content = await app.request(`/v1/videos/${id}/content`, { key });
    const file = join(dir, 'out.mp4');
    await writeFile(file, Buffer.from(await (await fetch(content.headers.get('location')!)).arrayBuffer()));
    expect(await probeVideo(file)).toMatchObject({ codec: 'h264', width: 832, height: 480, fps: 16, frames: 81 });
    // The worker made the validators' call with what the customer asked.
    const calls = (await readFile(record, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, any>);
    expect(calls.find((c) => c.call === '__call__')).toMatchObject({
      kwargs: { prompt: 'a fox runs through snow', num_frames: 81, width: 832, height: 480 },
      generator: { seed: 1234 },
    });
  });
});
