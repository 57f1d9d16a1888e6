import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp, createVideo } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

// Two backends of the same model, each able to run two predictions (the reference backend answers
// 409 beyond that, so an exceeded limit would show up as refusals), and four workers.
let app: TestApp;
let key: string;
const image = dataUri(makeImage('png'));

beforeAll(async () => {
  app = await startTestApp({
    worker: true,
    backends: [{ maxConcurrency: 2 }, { maxConcurrency: 2 }],
    env: { WORKER_CONCURRENCY: '4', DISPATCH_CAPACITY_POLL_MS: '20', BACKEND_HEALTH_INTERVAL_MS: '0' },
  });
  for (let i = 0; i < 3; i++) await app.startWorker();
  ({ key } = await app.tenant());
});
afterAll(() => app?.close());

const makeVideo = () => createVideo(app, key, image);

describe('per-backend concurrency across workers', () => {
  it('never runs more than max_concurrency on a backend with 4 workers (16 job slots) given 12 jobs at once', async () => {
    for (const b of app.backends) b.configure({ delayMs: 300 });
    const ids = await Promise.all(Array.from({ length: 12 }, () => makeVideo()));
    const done = await Promise.all(ids.map((id) => waitForStatus(app, key, id, ['succeeded', 'failed'])));
    for (const b of app.backends) b.configure({ delayMs: 0 });
    expect(done.map((v) => v.status)).toEqual(ids.map(() => 'succeeded'));
    for (const b of app.backends) {
      expect(b.stats().peakRunning).toBeLessThanOrEqual(2);
      expect(b.stats().refusedBusy).toBe(0);
    }
    // The limit was reached, so the check above means something.
    expect(Math.max(...app.backends.map((b) => b.stats().peakRunning))).toBe(2);
    // Both were used: work spreads over the pool.
    expect(new Set(done.map((v) => v.provenance.backend_id))).toEqual(new Set(['ref_0', 'ref_1']));
    const slots = await app.request('/v1/admin/backends', { key: app.operatorKey });
    const list = (await slots.json()) as { data: { id: string; in_flight: number }[] };
    expect(list.data.map((b) => b.in_flight)).toEqual([0, 0]);
  });

  it('completes a job on another backend when its backend is killed mid-job', async () => {
    for (const b of app.backends) b.configure({ delayMs: 1_500 });
    const before = app.backends.map((b) => b.stats().started);
    const id = await makeVideo();
    await until(() => app.backends.some((b, i) => b.stats().started > before[i]!));
    const victim = app.backends.findIndex((b, i) => b.stats().started > before[i]!);
    await app.backends[victim]!.close();
    const done = await waitForStatus(app, key, id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'succeeded', provenance: { backend_id: `ref_${1 - victim}` } });
  });
});

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
