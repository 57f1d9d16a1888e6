import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceBackend, type ReferenceBackend } from '../../gpu/server/server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { makeImage } from '../support/images.js';

/**
 * lk_test_ keys are a sandbox: their videos run only on the sandbox pool (SANDBOX_GPU_BACKENDS),
 * are never billed, have limits of their own counted apart from live ones, and live and test
 * objects of one tenant do not see each other.
 */
const SANDBOX = { SANDBOX_REQUESTS_PER_MINUTE: 60, SANDBOX_CONCURRENT_VIDEOS: 1, SANDBOX_MONTHLY_VIDEO_SECONDS: 3 };
let app: TestApp;
let sandbox: ReferenceBackend;
const IMAGE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAEAAAAAkCAIAAAC2bqvFAAAACXBIWXMAAAABAAAAAQBPJcTWAAAAU0lEQVR4nO3PUQkAIBTAwFfJTpa1lSH8OITBAtxm7fN1wwUNaEEDWtCAFjSgBQ1oQQNa0IAWNKAFDWhBA1rQgBY0oAUNaEEDWtCAFjSgBQ1owWMXCBVOtUeMa7QAAAAASUVORK5CYII=';

beforeAll(async () => {
  sandbox = await startReferenceBackend({ maxConcurrency: 4 });
  app = await startTestApp({
    worker: true,
    env: {
      SANDBOX_GPU_BACKENDS: JSON.stringify([{ id: 'sandbox', url: sandbox.url, max_concurrency: 4 }]),
      ...Object.fromEntries(Object.entries(SANDBOX).map(([k, v]) => [k, String(v)])),
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RELAY_INTERVAL_MS: '50',
    },
  });
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

/** A tenant with a live key and a test key. */
async function bothModes(limits?: Record<string, unknown>): Promise<{ tenantId: string; live: string; liveKeyId: string; test: string }> {
  const { tenantId, key: live, keyId: liveKeyId } = await app.tenant({ mode: 'live', limits });
  const res = await app.request(`/v1/admin/tenants/${tenantId}/api-keys`, { method: 'POST', key: app.operatorKey, json: { mode: 'test', name: 'sandbox' } });
  const test = ((await res.json()) as { secret: string }).secret;
  expect(test).toMatch(/^lk_test_/);
  return { tenantId, live, liveKeyId, test };
}

const json = async (res: Response | Promise<Response>) => (await (await res).json()) as Record<string, any>;
const createVideo = (key: string, duration = 1) =>
  app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'mode', image: IMAGE, duration_seconds: duration } });

describe('test mode', () => {
  it('runs test videos on the sandbox pool only, and live and test objects are invisible to each other', async () => {
    // The live quota is 3 s with no overage; test mode's is SANDBOX_MONTHLY_VIDEO_SECONDS (3).
    const { live, test } = await bothModes({ included_video_seconds: 3, overage_allowed: false });
    const create = async (key: string, duration: number) => json(createVideo(key, duration));
    const before = { sandbox: sandbox.stats().started, production: app.backend.stats().started };
    const [liveVideo, testVideo] = [await create(live, 1), await create(test, 2)];
    expect([liveVideo.livemode, testVideo.livemode]).toEqual([true, false]);
    expect((await waitDone(test, testVideo.id)).status).toBe('succeeded');
    expect((await waitDone(live, liveVideo.id)).status).toBe('succeeded');
    // The test video rendered on the sandbox, the live one on the production pool.
    expect(sandbox.stats().started - before.sandbox).toBe(1);
    expect(app.backend.stats().started - before.production).toBe(1);

    for (const [key, own, other] of [
      [live, liveVideo, testVideo],
      [test, testVideo, liveVideo],
    ] as const) {
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

    // Each mode's usage and quota count only its own seconds: the test video's 2 s are not in the live quota.
    const [liveUsage, testUsage] = [await json(app.request('/v1/usage', { key: live })), await json(app.request('/v1/usage', { key: test }))];
    expect(liveUsage).toMatchObject({ livemode: true, video_seconds: { included: 3, used: 1, remaining: 2 }, cost: { videos: 1 } });
    expect(testUsage).toMatchObject({
      livemode: false,
      video_seconds: { included: SANDBOX.SANDBOX_MONTHLY_VIDEO_SECONDS, used: 2, remaining: 1, overage_allowed: false },
      cost: { videos: 1, amount: 0 },
    });
    // Admission agrees: 2 more live seconds fit (1 + 2 ≤ 3; with test seconds counted they would not), 2 more test seconds do not.
    expect((await createVideo(live, 2)).status).toBe(202);
    const refused = await createVideo(test, 2);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'quota_exceeded', limit: SANDBOX.SANDBOX_MONTHLY_VIDEO_SECONDS });
  }, 90_000);

  it("shows each mode's limits, and a test-mode burst hits test mode's rate limit while live requests still pass", async () => {
    // Live is slower than the sandbox here, so a shared bucket would refuse the live request below.
    const { live, test } = await bothModes({ requests_per_minute: 30 });
    const me = await json(app.request('/v1/me', { key: test }));
    expect(me).toMatchObject({ livemode: false, limits: { requests_per_minute: 60, concurrent_videos: 1, included_video_seconds: 3, overage_allowed: false } });
    const liveMe = await json(app.request('/v1/me', { key: live }));
    expect(liveMe.livemode).toBe(true);
    expect(liveMe.limits).toMatchObject({ requests_per_minute: 30, overage_allowed: true });

    const burst = await Promise.all(Array.from({ length: SANDBOX.SANDBOX_REQUESTS_PER_MINUTE + 5 }, () => app.request('/v1/me', { key: test })));
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(5);
    expect(limited[0]!.headers.get('ratelimit-policy')).toBe('"tenant";q=60;w=60');
    const after = await app.request('/v1/me', { key: live });
    expect(after.status).toBe(200);
    // The live bucket is untouched by the burst: it has spent only the tenant's two live requests (and refilled a little).
    const remaining = Number(/"tenant";r=(\d+)/.exec(after.headers.get('ratelimit') ?? '')?.[1]);
    expect(remaining).toBeGreaterThanOrEqual(27);
    expect(after.headers.get('ratelimit-policy')).toBe('"tenant";q=30;w=60');
  });

  it("counts test mode's concurrent videos apart from live ones", async () => {
    const { live, test } = await bothModes({ concurrent_videos: 1 });
    sandbox.configure({ delayMs: 3_000 });
    try {
      const first = await json(createVideo(test));
      const second = await json(createVideo(test));
      // The test video holds test mode's only slot: the next one waits for it; the live slot is free.
      expect(second).toMatchObject({ status: 'queued', queue_position: 1 });
      const liveVideo = await json(createVideo(live));
      expect(liveVideo).toMatchObject({ status: 'queued', queue_position: null });
      await app.request(`/v1/videos/${second.id}/cancel`, { method: 'POST', key: test });
      await app.request(`/v1/videos/${first.id}/cancel`, { method: 'POST', key: test });
      await app.request(`/v1/videos/${liveVideo.id}/cancel`, { method: 'POST', key: live });
    } finally {
      sandbox.configure({ delayMs: 0 });
    }
  });

  it("keeps files, batches, webhook endpoints and idempotency keys apart, and delivers each mode's events only to its own endpoints", async () => {
    const { live, liveKeyId, test } = await bothModes();
    // A leaked test key cannot stop production: live keys are out of its reach.
    const revoke = await app.request(`/v1/api-keys/${liveKeyId}`, { method: 'DELETE', key: test });
    expect(revoke.status).toBe(403);
    expect(await revoke.json()).toMatchObject({ code: 'livemode_required' });
    const receivers = { live: await startWebhookReceiver(), test: await startWebhookReceiver() };
    try {
      const objects = async (key: string, url: string) => {
        const form = new FormData();
        form.set('file', new Blob([makeImage('png', '64x64')], { type: 'image/png' }), 'a.png');
        const file = await json(app.request('/v1/files', { method: 'POST', key, body: form }));
        // The same Idempotency-Key and body in both modes: each mode gets its own endpoint, never the other's replay.
        const created = await app.request('/v1/webhook-endpoints', {
          method: 'POST',
          key,
          headers: { 'Idempotency-Key': 'same-key-both-modes' },
          json: { url, enabled_events: ['file.deleted'] },
        });
        expect(created.headers.get('idempotent-replayed')).toBeNull();
        const endpoint = (await created.json()) as Record<string, any>;
        return { file, endpoint, batch: {} as Record<string, any> };
      };
      const mine = { live: await objects(live, receivers.live.url), test: await objects(test, receivers.test.url) };
      // The other mode's file cannot be used as an image (checked before the batches below take test mode's only slot).
      for (const [key, other] of [
        [live, mine.test],
        [test, mine.live],
      ] as const) {
        expect((await json(app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: other.file.id, duration_seconds: 1 } }))).code).toBe(
          'file_not_found',
        );
      }
      for (const [key, o] of [
        [live, mine.live],
        [test, mine.test],
      ] as const) {
        o.batch = await json(
          app.request('/v1/batches', { method: 'POST', key, json: { items: [{ custom_id: 'a', prompt: 'p', image: o.file.id, duration_seconds: 1 }] } }),
        );
      }
      for (const [mode, o] of Object.entries(mine)) {
        const livemode = mode === 'live';
        expect([o.file.livemode, o.endpoint.livemode, o.batch.livemode]).toEqual([livemode, livemode, livemode]);
      }
      for (const [key, own, other] of [
        [live, mine.live, mine.test],
        [test, mine.test, mine.live],
      ] as const) {
        expect((await app.request(`/v1/files/${other.file.id}`, { key })).status).toBe(404);
        expect((await app.request(`/v1/webhook-endpoints/${other.endpoint.id}`, { key })).status).toBe(404);
        expect((await app.request(`/v1/batches/${other.batch.id}`, { key })).status).toBe(404);
        expect((await app.request(`/v1/batches/${other.batch.id}/results`, { key })).status).toBe(404);
        const endpoints = await json(app.request('/v1/webhook-endpoints', { key }));
        expect(endpoints.data.map((e: { id: string }) => e.id)).toEqual([own.endpoint.id]);
        const batches = await json(app.request('/v1/batches', { key }));
        expect(batches.data.map((b: { id: string }) => b.id)).toEqual([own.batch.id]);
      }
      // A file.deleted event of each mode reaches only that mode's endpoint.
      for (const [key, o] of [
        [test, mine.test],
        [live, mine.live],
      ] as const)
        expect((await app.request(`/v1/files/${o.file.id}`, { method: 'DELETE', key })).status).toBe(200);
      for (const [mode, receiver] of Object.entries(receivers)) {
        const got = await receiver.waitFor((r) => r.length >= 1);
        await new Promise((r) => setTimeout(r, 300));
        expect(
          receiver.received.map((r) => r.json.data.id),
          mode,
        ).toEqual([mine[mode as 'live' | 'test'].file.id]);
        expect(got[0]!.json.type).toBe('file.deleted');
      }
    } finally {
      await receivers.live.close();
      await receivers.test.close();
    }
  }, 30_000);
});
