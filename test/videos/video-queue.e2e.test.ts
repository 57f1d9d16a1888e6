import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';
import { until } from '../support/until.js';

type Json = Record<string, any>;

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ worker: true, env: { WORKER_CONCURRENCY: '4', BATCH_SCHEDULE_INTERVAL_MS: '100' } });
});
afterAll(() => app?.close());

async function upload(key: string): Promise<string> {
  const form = new FormData();
  form.set('file', new Blob([makeImage('png', '64x64')], { type: 'image/png' }), 'a.png');
  return ((await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as { id: string }).id;
}

async function submit(key: string, image: string, extra: Json = {}): Promise<Json> {
  const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1, ...extra } });
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body)).toBe(202);
  return body;
}

const get = async (key: string, id: string) => (await (await app.request(`/v1/videos/${id}`, { key })).json()) as Json;

/** A second key of the tenant, as an operator issues it. */
async function secondKey(tenantId: string): Promise<string> {
  const res = await app.request(`/v1/admin/tenants/${tenantId}/api-keys`, { method: 'POST', key: app.operatorKey, json: { mode: 'live' } });
  return ((await res.json()) as { secret: string }).secret;
}

async function startOrder(ids: string[]): Promise<string[]> {
  const rows = await app.sql<{ id: string }>('select id from videos where id = any($1) order by started_at', [ids]);
  return rows.map((r) => r.id);
}

describe('over the concurrency limit a video is queued, not refused', () => {
  it('accepts every submit, runs them one at a time in submit order, and the positions count down', async () => {
    app.backend.configure({ delayMs: 1_500 });
    const { key } = await app.tenant({ limits: { concurrent_videos: 1 } });
    const image = await upload(key);
    const first = await submit(key, image);
    expect(first).toMatchObject({ status: 'queued', queue_position: null });
    const waiting = [await submit(key, image), await submit(key, image), await submit(key, image)];
    expect(waiting.map((v) => v.queue_position)).toEqual([1, 2, 3]);
    for (const v of waiting) {
      expect(v.status).toBe('queued');
      expect(Date.parse(v.start_by)).toBeGreaterThan(Date.now());
      expect(Date.parse(v.estimated_start_at)).toBeGreaterThanOrEqual(Date.parse(v.created_at));
    }
    // The last one's position goes down one at a time as the ones before it start.
    const last = waiting[2]!.id;
    const seen: (number | null)[] = [3];
    await until(
      'the last video to be dispatched',
      async () => {
        const v = await get(key, last);
        if (v.queue_position !== seen.at(-1)) seen.push(v.queue_position);
        return v.queue_position === null;
      },
      90_000,
    );
    expect(seen.filter((p) => p !== null)).toEqual([...seen.filter((p) => p !== null)].sort().reverse());
    expect(seen.at(-1)).toBeNull();
    const ids = [first.id, ...waiting.map((v) => v.id)];
    for (const id of ids) expect((await waitForStatus(app, key, id, ['succeeded', 'failed'], 90_000)).status).toBe('succeeded');
    expect(await startOrder(ids)).toEqual(ids);
    const usage = (await (await app.request('/v1/usage', { key })).json()) as Json;
    expect(usage.video_seconds.used).toBe(4);
    expect(usage.concurrent_videos.active).toBe(0);
    const queued = await app.sql('select data from events where object_id = $1 and type = $2', [waiting[0]!.id, 'video.queued']);
    expect(queued[0]!.data).toMatchObject({ queue_position: 1 });
  }, 120_000);

  it("takes the tenant's keys in turn (round-robin by key, first-in-first-out within a key)", async () => {
    // The blocker holds the only slot while the others are submitted.
    app.backend.configure({ delayMs: 3_000 });
    const { key: a, tenantId } = await app.tenant({ limits: { concurrent_videos: 1 } });
    const b = await secondKey(tenantId);
    const image = await upload(a);
    const blocker = await submit(a, image);
    const a1 = await submit(a, image);
    const a2 = await submit(a, image);
    const a3 = await submit(a, image);
    const b1 = await submit(b, image);
    const b2 = await submit(b, image);
    // The keys alternate from the oldest waiting video on, each in its own submit order.
    const expected = [a1, b1, a2, b2, a3];
    for (const [i, v] of expected.entries()) expect((await get(a, v.id)).queue_position, `position of #${i}`).toBe(i + 1);
    app.backend.configure({ delayMs: 50 });
    const ids = [blocker.id, ...expected.map((v) => v.id)];
    for (const id of ids) expect((await waitForStatus(app, a, id, ['succeeded', 'failed'], 90_000)).status).toBe('succeeded');
    expect(await startOrder(ids)).toEqual(ids);
  }, 120_000);
});

describe('a tenant at concurrency 2 submitting many videos (issue 32)', () => {
  // The run is 20: QUEUE_TEST_VIDEOS=20 npx vitest run test/videos/video-queue.e2e.test.ts.
  const VIDEOS = Number(process.env.QUEUE_TEST_VIDEOS ?? 8);

  it(`accepts all ${VIDEOS}, never runs more than 2 at once (and does run 2), and starts each in submit order`, async () => {
    // Long enough that the first two, which take the free slots as they are submitted, overlap.
    app.backend.configure({ delayMs: 1_000 });
    const { key } = await app.tenant({ limits: { concurrent_videos: 2 } });
    const image = await upload(key);
    const submitted: Json[] = [];
    for (let i = 0; i < VIDEOS; i++) submitted.push(await submit(key, image));
    expect(submitted.slice(2).every((v) => v.status === 'queued' && v.queue_position !== null)).toBe(true);
    const ids = submitted.map((v) => v.id);
    for (const id of ids) expect((await waitForStatus(app, key, id, ['succeeded', 'failed'], 90_000)).status).toBe('succeeded');
    expect(await startOrder(ids)).toEqual(ids);
    // At most 2 at once, from the videos' own times: at each start, how many had started and not yet ended.
    const spans = await app.sql<{ s: Date; e: Date }>('select started_at as s, completed_at as e from videos where id = any($1)', [ids]);
    const atOnce = spans.map((a) => spans.filter((b) => b.s <= a.s && b.e > a.s).length);
    expect(Math.max(...atOnce)).toBe(2);
    // And as the backend saw them (every earlier test in this file ran one at a time).
    expect(app.backend.stats().peakRunning).toBeLessThanOrEqual(2);
  }, 120_000);
});

describe('a queued video whose start_by passes', () => {
  it('ends expired, uncharged, with video.expired sent, and holds no reservation', async () => {
    app.backend.configure({ delayMs: 4_000 });
    const { key } = await app.tenant({ limits: { concurrent_videos: 1 } });
    const image = await upload(key);
    const blocker = await submit(key, image);
    const late = await submit(key, image, { max_queue_seconds: 1 });
    expect(Date.parse(late.start_by) - Date.parse(late.created_at)).toBeLessThanOrEqual(1_500);
    const done = await waitForStatus(app, key, late.id, ['expired', 'succeeded', 'failed'], 15_000);
    expect(done).toMatchObject({ status: 'expired', queue_position: null, started_at: null, cost: { amount: 0 } });
    expect(done.error).toMatchObject({ code: 'queue_deadline_passed' });
    const events = await app.sql('select type from events where object_id = $1 order by seq', [late.id]);
    expect(events.map((e) => e.type)).toEqual(['video.queued', 'video.expired']);
    const usage = (await (await app.request('/v1/usage', { key })).json()) as Json;
    // Only the blocker holds a slot and seconds; the expired one never took any.
    expect(usage.concurrent_videos.active).toBe(1);
    expect(usage.video_seconds.reserved).toBe(1);
    await app.request(`/v1/videos/${blocker.id}/cancel`, { method: 'POST', key });
    expect((await app.sql('select count(*)::int as n from usage_records where video_id = $1', [late.id]))[0]!.n).toBe(0);
  });

  it('is refused with max_queue_seconds beyond the plan', async () => {
    const { key } = await app.tenant({ limits: { concurrent_videos: 1, max_queue_seconds: 60 } });
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: await upload(key), max_queue_seconds: 61 } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'validation_failed', errors: [{ param: 'max_queue_seconds' }] });
  });
});

describe('the queue cap', () => {
  it("refuses with 429 queue_full only once the tenant's waiting queue is at its plan's cap, and a waiting video can be canceled", async () => {
    app.backend.configure({ delayMs: 3_000 });
    const { key } = await app.tenant({ limits: { concurrent_videos: 1, max_queued_videos: 2 } });
    const image = await upload(key);
    const blocker = await submit(key, image);
    const w1 = await submit(key, image);
    const w2 = await submit(key, image);
    const full = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } });
    expect(full.status).toBe(429);
    const problem = (await full.json()) as Json;
    expect(problem).toMatchObject({ code: 'queue_full', limit: 2 });
    expect(problem.detail).toMatch(/2 videos waiting/);
    expect(full.headers.get('retry-after')).toBeTruthy();

    const canceled = await app.request(`/v1/videos/${w1.id}/cancel`, { method: 'POST', key });
    expect(canceled.status).toBe(200);
    expect(await canceled.json()).toMatchObject({ status: 'canceled', queue_position: null });
    expect((await get(key, w2.id)).queue_position).toBe(1);
    // The canceled one made room.
    const w3 = await submit(key, image);
    expect(w3.queue_position).toBe(2);
    app.backend.configure({ delayMs: 50 });
    for (const id of [blocker.id, w2.id, w3.id]) expect((await waitForStatus(app, key, id, ['succeeded', 'failed'], 90_000)).status).toBe('succeeded');
    expect((await get(key, w1.id)).started_at).toBeNull();
    const usage = (await (await app.request('/v1/usage', { key })).json()) as Json;
    expect(usage.video_seconds.used).toBe(3);
  });
});
