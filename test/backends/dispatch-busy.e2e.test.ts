import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceBackend, type ReferenceBackend } from '../../gpu/server/server.js';
import { startTestApp, createVideo, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

// A backend registered for four predictions at once that takes only one (a wrong setting, a
// restart, another client on the same GPU): the rest are answered 409. Busy is not broken.
let app: TestApp;
let tight: ReferenceBackend;
const image = dataUri(makeImage('png'));

beforeAll(async () => {
  tight = await startReferenceBackend({ maxConcurrency: 1 });
  tight.configure({ delayMs: 400 });
  app = await startTestApp({
    worker: true,
    backends: [{}],
    env: {
      GPU_BACKENDS: JSON.stringify([{ id: 'tight', url: tight.url, max_concurrency: 4 }]),
      WORKER_CONCURRENCY: '4',
      BACKEND_HEALTH_INTERVAL_MS: '0',
      BREAKER_FAILURE_THRESHOLD: '2',
      DISPATCH_CAPACITY_POLL_MS: '50',
    },
  });
});
afterAll(async () => {
  await app?.close();
  await tight?.close();
});

describe('a backend fuller than its configured limit', () => {
  it('answers 409 to the extra calls; they wait and run there, the video does not fail and the circuit stays closed', async () => {
    const { key } = await app.tenant({ limits: { concurrent_videos: 4 } });
    const ids = await Promise.all(Array.from({ length: 4 }, () => createVideo(app, key, image)));
    const done = await Promise.all(ids.map((id) => waitForStatus(app, key, id, ['succeeded', 'failed'], 60_000)));
    expect(done.map((v) => [v.status, v.error?.code ?? null])).toEqual(ids.map(() => ['succeeded', null]));
    // The situation really arose: the backend refused calls as busy.
    expect(tight.stats().refusedBusy).toBeGreaterThan(0);
    expect(tight.stats().peakRunning).toBe(1);
    const backends = (await (await app.request('/v1/admin/backends', { key: app.operatorKey })).json()) as { data: { id: string; circuit: string }[] };
    expect(backends.data.find((b) => b.id === 'tight')?.circuit).toBe('closed');
  });
});
