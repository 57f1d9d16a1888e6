import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

const N = 3;
const QUEUE_CAP = 20;
const BURST = 40;
let app: TestApp;

beforeAll(async () => {
  // A slow backend keeps admitted videos running while the burst arrives.
  app = await startTestApp({ worker: true, backend: { delayMs: 8_000 }, env: { WORKER_CONCURRENCY: '8' } });
});
afterAll(() => app?.close());

describe('the concurrent-video limit', () => {
  it(`gives exactly ${N} of ${BURST} concurrent submits a slot, queues ${QUEUE_CAP}, refuses the rest with queue_full, and frees a slot when one is canceled`, async () => {
    const { key } = await app.tenant({ limits: { concurrent_videos: N, max_queued_videos: QUEUE_CAP, requests_per_minute: 10_000 } });
    const upload = new FormData();
    upload.set('file', new Blob([makeImage('png', '64x64')], { type: 'image/png' }), 'a.png');
    const file = ((await (await app.request('/v1/files', { method: 'POST', key, body: upload })).json()) as { id: string }).id;

    const res = await Promise.all(
      Array.from({ length: BURST }, () => app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: file, duration_seconds: 1 } })),
    );
    const accepted = await Promise.all(res.filter((r) => r.status === 202).map(async (r) => (await r.json()) as Record<string, any>));
    const refused = res.filter((r) => r.status === 429);
    // The slots are taken atomically and the queue cap under a lock: concurrent submits pass neither.
    expect(accepted).toHaveLength(N + QUEUE_CAP);
    expect(refused).toHaveLength(BURST - N - QUEUE_CAP);
    const problem = (await refused[0]!.json()) as Record<string, any>;
    expect(problem).toMatchObject({ code: 'queue_full', limit: QUEUE_CAP });
    expect(refused[0]!.headers.get('retry-after')).toBeTruthy();

    const slotted = accepted.filter((v) => v.queue_position === null).map((v) => v.id as string);
    const waiting = accepted.filter((v) => v.queue_position !== null).map((v) => v.id as string);
    expect(slotted).toHaveLength(N);
    const running = await Promise.all(slotted.map((id) => waitForStatus(app, key, id, ['running'])));
    expect(running.map((v) => v.status)).toEqual(Array(N).fill('running'));
    expect(await app.sql('select count(*)::int as n from videos where id = any($1) and dispatched_at is null', [waiting])).toEqual([{ n: waiting.length }]);

    // The waiting ones are canceled before they start: never charged.
    for (const id of waiting) expect((await app.request(`/v1/videos/${id}/cancel`, { method: 'POST', key })).status).toBe(200);
    expect((await app.request(`/v1/videos/${slotted[0]}/cancel`, { method: 'POST', key })).status).toBe(200);
    const next = await app.request('/v1/videos', {
      method: 'POST',
      key,
      json: { prompt: 'p', image: dataUri(makeImage('png', '64x64')), duration_seconds: 1 },
    });
    expect(next.status).toBe(202);
    const nextVideo = (await next.json()) as Record<string, any>;
    expect(nextVideo.queue_position).toBeNull();
    const over = (await (await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: file, duration_seconds: 1 } })).json()) as Record<
      string,
      any
    >;
    expect(over).toMatchObject({ status: 'queued', queue_position: 1 });
    await app.request(`/v1/videos/${over.id}/cancel`, { method: 'POST', key });
    // Finishing frees the slots too. The canceled ones are not charged: the other N-1 and the one
    // admitted in its place are (all waited for, so the count does not race their finishing).
    await Promise.all([...slotted.slice(1), nextVideo.id].map((id) => waitForStatus(app, key, id, ['succeeded'])));
    const usage = (await (await app.request('/v1/usage', { key })).json()) as Record<string, any>;
    expect(usage.video_seconds.used).toBe(N);
    expect(usage.concurrent_videos.active).toBe(0);
  });
});
