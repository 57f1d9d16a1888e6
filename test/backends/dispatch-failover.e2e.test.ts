import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp, createVideo } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

// Two ranked models, one backend each: ref_0 serves the winner, ref_1 the runner-up, so which
// backend a job tries first is certain and every fallback is visible in the provenance.
const RANKING = [
  { model: 'acme/winner', model_revision: 'sha256:aa11', miner_hotkey: '5FwinnerHotkey', miner_uid: 7 },
  { model: 'acme/runner-up', model_revision: 'v2', miner_hotkey: '5FrunnerHotkey', miner_uid: 12 },
];

let app: TestApp;
let key: string;
const image = dataUri(makeImage('png'));

beforeAll(async () => {
  app = await startTestApp({
    worker: true,
    backends: [
      { model: 'acme/winner', maxConcurrency: 2 },
      { model: 'acme/runner-up', maxConcurrency: 2 },
    ],
    // A backend busy for longer than DISPATCH_BUSY_WAIT_MS is skipped; short here, so the busy case below does not wait 30 s.
    env: {
      MODEL_RANKING: JSON.stringify(RANKING),
      BREAKER_FAILURE_THRESHOLD: '2',
      BREAKER_OPEN_MS: '8000',
      CANCEL_POLL_MS: '100',
      BACKEND_HEALTH_INTERVAL_MS: '0',
      DISPATCH_BUSY_WAIT_MS: '1000',
    },
  });
  ({ key } = await app.tenant());
});
afterAll(() => app?.close());

const makeVideo = () => createVideo(app, key, image);

const finished = (id: string) => waitForStatus(app, key, id, ['succeeded', 'failed', 'canceled']);

async function circuitOf(id: string): Promise<string> {
  const res = await app.request(`/v1/admin/backends/${id}`, { key: app.operatorKey });
  return ((await res.json()) as { circuit: string }).circuit;
}

async function usageRows(): Promise<number> {
  return (await app.sql('select count(*)::int as n from usage_records'))[0].n;
}

describe('dispatch across backends and models', () => {
  it('runs on the top-ranked model and records its provenance', async () => {
    const done = await finished(await makeVideo());
    expect(done.status).toBe('succeeded');
    expect(done.provenance).toEqual({
      model: 'acme/winner',
      model_revision: 'sha256:aa11',
      miner_hotkey: '5FwinnerHotkey',
      miner_uid: 7,
      ranking_block: null,
      backend_id: 'ref_0',
      attested_model: null,
      model_rule: 'winner',
      // One native clip: no post-production step ran.
      steps: [],
    });
  });

  it('skips a backend that keeps answering 409 and falls back to the next-ranked model', async () => {
    app.backends[0]!.configure({ busy: true });
    const refusedBefore = app.backends[0]!.stats().refusedBusy;
    const done = await finished(await makeVideo());
    app.backends[0]!.configure({ busy: false });
    expect(done).toMatchObject({ status: 'succeeded', provenance: { model: 'acme/runner-up', model_revision: 'v2', miner_uid: 12, backend_id: 'ref_1' } });
    expect(app.backends[0]!.stats().refusedBusy).toBeGreaterThan(refusedBefore);
  });

  it('skips a backend that returns garbage', async () => {
    app.backends[0]!.configure({ garbage: true });
    const startedBefore = app.backends[0]!.stats().started;
    const done = await finished(await makeVideo());
    app.backends[0]!.configure({ garbage: false });
    expect(done).toMatchObject({ status: 'succeeded', provenance: { backend_id: 'ref_1' } });
    expect(app.backends[0]!.stats().started).toBe(startedBefore + 1);
  });

  it('opens the breaker after repeated failures, stops sending, and closes it after a good probe', async () => {
    // A success first, so the garbage above no longer counts toward the threshold.
    expect((await finished(await makeVideo())).provenance.backend_id).toBe('ref_0');
    app.backends[0]!.configure({ failRate: 1 });
    for (let i = 0; i < 2; i++) expect((await finished(await makeVideo())).provenance.backend_id).toBe('ref_1');
    expect(await circuitOf('ref_0')).toBe('open');

    const startedWhileOpen = app.backends[0]!.stats().started;
    expect((await finished(await makeVideo())).provenance.backend_id).toBe('ref_1');
    expect(app.backends[0]!.stats().started).toBe(startedWhileOpen);

    app.backends[0]!.configure({ failRate: 0 });
    // The breaker stays open long enough for the videos above to finish on a busy machine; then it
    // lets one probe through.
    await eventually(async () => (await circuitOf('ref_0')) === 'half_open', 15_000);
    expect((await finished(await makeVideo())).provenance.backend_id).toBe('ref_0');
    expect(await circuitOf('ref_0')).toBe('closed');
  });

  it('cancels the prediction on the backend when the video is canceled', async () => {
    app.backends[0]!.configure({ delayMs: 30_000 });
    const started = app.backends[0]!.stats().started;
    const id = await makeVideo();
    await until(() => app.backends[0]!.stats().started > started);
    const res = await app.request(`/v1/videos/${id}/cancel`, { method: 'POST', key });
    expect(res.status).toBe(200);
    await until(() => app.backends[0]!.stats().cancels.some((c) => c.startsWith(`${id}-`)));
    app.backends[0]!.configure({ delayMs: 0 });
    expect((await finished(id)).status).toBe('canceled');
  });

  it('fails with no_backend_available when every backend is down, and charges nothing', async () => {
    const usageBefore = await usageRows();
    await Promise.all(app.backends.map((b) => b.close()));
    const done = await finished(await makeVideo());
    expect(done).toMatchObject({ status: 'failed', output: null, provenance: null, error: { code: 'no_backend_available' } });
    expect(await usageRows()).toBe(usageBefore);
  });
});

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
