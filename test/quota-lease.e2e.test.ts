import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';
import { dataUri, makeImage } from './support/images.js';

let app: TestApp;

beforeAll(async () => {
  // No worker: nobody will ever settle or release, as if the process holding the video died.
  app = await startTestApp({ env: { VIDEO_LEASE_SECONDS: '2' } });
});
afterAll(() => app?.close());

describe('quota leases', () => {
  it('expire when nobody settles or releases them, freeing the slot and the seconds', async () => {
    const { key } = await app.tenant({ limits: { concurrent_videos: 1, included_video_seconds: 1, overage_allowed: false } });
    const submit = () => app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: dataUri(makeImage('png', '64x64')), duration_seconds: 1 } });
    expect((await submit()).status).toBe(202);
    expect((await submit()).status).toBe(429);
    await new Promise((r) => setTimeout(r, 2_200));
    expect((await submit()).status).toBe(202);
  });
});
