import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

let app: TestApp;
const image = dataUri(makeImage('png', '64x64'));

beforeAll(async () => {
  app = await startTestApp({ worker: true, env: { VIDEO_MAX_ATTEMPTS: '1' } });
});
afterAll(() => app?.close());

const usage = async (key: string) => (await (await app.request('/v1/usage', { key })).json()) as Record<string, any>;
const submit = async (key: string, seconds: number) => {
  const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: seconds } });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('settling and releasing reservations', () => {
  it('gives the seconds back when videos fail, and settles them once when a video succeeds', async () => {
    const { key } = await app.tenant({ limits: { included_video_seconds: 3, overage_allowed: false } });
    app.backend.configure({ failRate: 1 });
    const failing = await Promise.all([submit(key, 2), submit(key, 1)]);
    expect(failing.map((f) => f.status)).toEqual([202, 202]);
    expect((await submit(key, 1)).status).toBe(429);
    for (const f of failing) expect((await waitForStatus(app, key, f.body.id, ['failed', 'succeeded'])).status).toBe('failed');
    expect((await usage(key)).video_seconds).toMatchObject({ used: 0, reserved: 0, remaining: 3 });

    app.backend.configure({ failRate: 0 });
    const ok = await submit(key, 2);
    expect(ok.status).toBe(202);
    expect((await waitForStatus(app, key, ok.body.id, ['failed', 'succeeded'])).status).toBe('succeeded');
    expect((await usage(key)).video_seconds).toMatchObject({ used: 2, reserved: 0, remaining: 1 });
    expect((await submit(key, 2)).status).toBe(429);
  });
});
