import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

const N = 3;
let app: TestApp;

beforeAll(async () => {
  // A slow backend keeps admitted videos running while the burst arrives.
  app = await startTestApp({ worker: true, backend: { delayMs: 8_000 }, env: { WORKER_CONCURRENCY: '8' } });
});
afterAll(() => app?.close());

describe('the concurrent-video limit', () => {
  it(`admits exactly ${N} of 200 concurrent submits, runs them, and frees a slot when one is canceled`, async () => {
    const { key } = await app.tenant({ limits: { concurrent_videos: N, requests_per_minute: 10_000 } });
    const upload = new FormData();
    upload.set('file', new Blob([makeImage('png', '64x64')], { type: 'image/png' }), 'a.png');
    const file = ((await (await app.request('/v1/files', { method: 'POST', key, body: upload })).json()) as { id: string }).id;

    const res = await Promise.all(
      Array.from({ length: 200 }, () => app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: file, duration_seconds: 1 } })),
    );
    const accepted = res.filter((r) => r.status === 202);
    const refused = res.filter((r) => r.status === 429);
    expect(accepted).toHaveLength(N);
    expect(refused).toHaveLength(200 - N);
    const problem = (await refused[0].json()) as Record<string, any>;
    expect(problem).toMatchObject({ code: 'concurrency_limited', limit: N });
    expect(refused[0].headers.get('retry-after')).toBeTruthy();

    const ids = await Promise.all(accepted.map(async (r) => ((await r.json()) as { id: string }).id));
    const running = await Promise.all(ids.map((id) => waitForStatus(app, key, id, ['running'])));
    expect(running.map((v) => v.status)).toEqual(Array(N).fill('running'));

    expect((await app.request(`/v1/videos/${ids[0]}/cancel`, { method: 'POST', key })).status).toBe(200);
    const next = await app.request('/v1/videos', {
      method: 'POST',
      key,
      json: { prompt: 'p', image: dataUri(makeImage('png', '64x64')), duration_seconds: 1 },
    });
    expect(next.status).toBe(202);
    expect((await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: file, duration_seconds: 1 } })).status).toBe(429);
    // Finishing frees the slots too. The canceled one is not charged: the other N-1 and the one
    // admitted in its place are (all waited for, so the count does not race their finishing).
    const nextId = ((await next.json()) as { id: string }).id;
    await Promise.all([...ids.slice(1), nextId].map((id) => waitForStatus(app, key, id, ['succeeded'])));
    const usage = (await (await app.request('/v1/usage', { key })).json()) as Record<string, any>;
    expect(usage.video_seconds.used).toBe(N);
    expect(usage.concurrent_videos.active).toBe(0);
  });
});
