import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

async function uploadFile(key: string): Promise<string> {
  const form = new FormData();
  form.set('file', new Blob([makeImage('png', '64x64')], { type: 'image/png' }), 'a.png');
  return ((await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as { id: string }).id;
}

const submit = (key: string, image: string, seconds: number) =>
  app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: seconds } });
const usage = async (key: string) => (await (await app.request('/v1/usage', { key })).json()) as Record<string, any>;

describe('the monthly video-seconds quota', () => {
  const Q = 50;

  it(`is never exceeded by 500 concurrent submits, and a cancel gives the seconds back`, async () => {
    const { key } = await app.tenant({ limits: { included_video_seconds: Q, overage_allowed: false, concurrent_videos: 1000, requests_per_minute: 100_000 } });
    const image = await uploadFile(key);
    const res = await Promise.all(Array.from({ length: 500 }, (_, i) => submit(key, image, (i % 3) + 1)));
    const accepted = await Promise.all(res.filter((r) => r.status === 202).map((r) => r.json() as Promise<{ id: string; duration_seconds: number }>));
    const refused = res.filter((r) => r.status === 429);
    expect(accepted.length + refused.length).toBe(500);
    const reserved = accepted.reduce((s, v) => s + v.duration_seconds, 0);
    expect(reserved).toBeLessThanOrEqual(Q);
    // Refusals happen only when the next video truly did not fit.
    expect(reserved).toBeGreaterThan(Q - 3);
    expect(await refused[0].json()).toMatchObject({ code: 'quota_exceeded', limit: Q });
    expect((await usage(key)).video_seconds).toMatchObject({ included: Q, used: 0, reserved });

    const canceled = accepted.slice(0, 4);
    await Promise.all(canceled.map((v) => app.request(`/v1/videos/${v.id}/cancel`, { method: 'POST', key })));
    const back = canceled.reduce((s, v) => s + v.duration_seconds, 0);
    expect((await usage(key)).video_seconds.reserved).toBe(reserved - back);
    const again = await Promise.all(Array.from({ length: 50 }, () => submit(key, image, 1)));
    expect(again.filter((r) => r.status === 202)).toHaveLength(Q - (reserved - back));
  });

  it("enforces a key's own monthly budget inside the tenant's", async () => {
    const { key } = await app.tenant({ key: { monthly_video_seconds: 3 } });
    const image = await uploadFile(key);
    expect((await submit(key, image, 2)).status).toBe(202);
    const over = await submit(key, image, 2);
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({ code: 'quota_exceeded' });
    expect((await submit(key, image, 1)).status).toBe(202);
  });

  it('does not spend a concurrency slot when the quota refuses', async () => {
    const { key } = await app.tenant({ limits: { included_video_seconds: 2, overage_allowed: false, concurrent_videos: 1 } });
    const image = await uploadFile(key);
    expect((await submit(key, image, 3)).status).toBe(429);
    expect((await usage(key)).concurrent_videos.active).toBe(0);
    expect((await submit(key, image, 2)).status).toBe(202);
  });
});
