import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

// The winner's only backend is too slow for the per-call deadline; the runner-up's answers. The
// deadline leaves the runner-up room to render on a busy machine (the winner sleeps a minute).
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({
    worker: true,
    backends: [{ model: 'acme/winner', delayMs: 60_000 }, { model: 'acme/runner-up' }],
    env: {
      MODEL_RANKING: JSON.stringify([{ model: 'acme/winner' }, { model: 'acme/runner-up' }]),
      GPU_BACKEND_TIMEOUT_MS: '5000',
      BACKEND_HEALTH_INTERVAL_MS: '0',
    },
  });
});
afterAll(() => app?.close());

it('moves on when a backend misses the call deadline, and cancels the abandoned prediction there', async () => {
  const { key } = await app.tenant();
  const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: dataUri(makeImage('png')), duration_seconds: 1 } });
  const { id } = (await res.json()) as { id: string };
  const done = await waitForStatus(app, key, id, ['succeeded', 'failed']);
  expect(done).toMatchObject({ status: 'succeeded', provenance: { model: 'acme/runner-up', backend_id: 'ref_1' } });
  expect(app.backends[0]!.stats().cancels).toEqual([`${id}-1-1`]);
});
