import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceBackend, type ReferenceBackend } from '../tools/reference-backend/server.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * lk_test_ keys are a sandbox: their videos run only on the sandbox pool (SANDBOX_GPU_BACKENDS),
 * are never billed, and live and test objects of one tenant do not see each other.
 */
let app: TestApp;
let sandbox: ReferenceBackend;
const IMAGE = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAEAAAAAkCAIAAAC2bqvFAAAACXBIWXMAAAABAAAAAQBPJcTWAAAAU0lEQVR4nO3PUQkAIBTAwFfJTpa1lSH8OITBAtxm7fN1wwUNaEEDWtCAFjSgBQ1oQQNa0IAWNKAFDWhBA1rQgBY0oAUNaEEDWtCAFjSgBQ1owWMXCBVOtUeMa7QAAAAASUVORK5CYII=';

beforeAll(async () => {
  sandbox = await startReferenceBackend({ maxConcurrency: 4 });
  app = await startTestApp({ worker: true, env: { SANDBOX_GPU_BACKENDS: JSON.stringify([{ id: 'sandbox', url: sandbox.url, max_concurrency: 4 }]) } });
});
afterAll(async () => {
  await app?.close();
  await sandbox?.close();
});

async function waitDone(key: string, id: string): Promise<Record<string, any>> {
  for (let i = 0; i < 240; i++) {
    const video = (await (await app.request(`/v1/videos/${id}`, { key })).json()) as Record<string, any>;
    if (['succeeded', 'failed', 'canceled'].includes(video.status)) return video;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${id} did not finish`);
}

describe('test mode', () => {
  it('runs test videos on the sandbox pool only, and live and test objects are invisible to each other', async () => {
    const { tenantId, key: live } = await app.tenant({ mode: 'live' });
    const res = await app.request(`/v1/admin/tenants/${tenantId}/api-keys`, { method: 'POST', key: app.operatorKey, json: { mode: 'test', name: 'sandbox' } });
    const test = ((await res.json()) as { secret: string }).secret;
    expect(test).toMatch(/^lk_test_/);

    const create = async (key: string) => (await (await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'mode', image: IMAGE, duration_seconds: 1 } })).json()) as Record<string, any>;
    const before = { sandbox: sandbox.stats().started, production: app.backend.stats().started };
    const [liveVideo, testVideo] = [await create(live), await create(test)];
    expect([liveVideo.livemode, testVideo.livemode]).toEqual([true, false]);
    expect((await waitDone(test, testVideo.id)).status).toBe('succeeded');
    expect((await waitDone(live, liveVideo.id)).status).toBe('succeeded');
    // The test video rendered on the sandbox, the live one on the production pool.
    expect(sandbox.stats().started - before.sandbox).toBe(1);
    expect(app.backend.stats().started - before.production).toBe(1);

    for (const [key, own, other] of [[live, liveVideo, testVideo], [test, testVideo, liveVideo]] as const) {
      expect((await app.request(`/v1/videos/${other.id}`, { key })).status).toBe(404);
      expect((await app.request(`/v1/videos/${other.id}/content`, { key })).status).toBe(404);
      expect((await app.request(`/v1/videos/${other.id}/events`, { key })).status).toBe(404);
      expect((await app.request(`/v1/videos/${other.id}/cancel`, { method: 'POST', key })).status).toBe(404);
      const list = (await (await app.request('/v1/videos', { key })).json()) as { data: { id: string }[] };
      expect(list.data.map((v) => v.id)).toEqual([own.id]);
      const events = (await (await app.request('/v1/events?limit=100', { key })).json()) as { data: { livemode: boolean; data: { id: string } }[] };
      expect(events.data.length).toBeGreaterThan(0);
      expect(events.data.every((e) => e.data.id === own.id && e.livemode === own.livemode)).toBe(true);
    }
    // Never billed: no usage row of a test video is ever metered.
    const usage = await app.sql<{ livemode: boolean }>('select livemode from usage_records where video_id = $1', [testVideo.id]);
    expect(usage).toEqual([{ livemode: false }]);
  }, 90_000);
});
