import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';
import { until } from '../support/until.js';

type Json = Record<string, any>;

let app: TestApp;

beforeAll(async () => {
  // A render is assumed to take 1 s until one has finished, so a short complete_by is feasible (batch-feasibility tests the refusal).
  app = await startTestApp({ worker: true, env: { WORKER_CONCURRENCY: '4', BATCH_SCHEDULE_INTERVAL_MS: '100', QUEUE_ETA_FALLBACK_SECONDS: '1' } });
});
afterAll(() => app?.close());

async function upload(key: string): Promise<string> {
  const form = new FormData();
  form.set('file', new Blob([makeImage('png', '64x64')], { type: 'image/png' }), 'a.png');
  return ((await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as { id: string }).id;
}

async function createBatch(key: string, image: string, n: number, extra: Json = {}): Promise<Json> {
  const items = Array.from({ length: n }, (_, i) => ({ custom_id: `i${i}`, image, prompt: 'turntable', duration_seconds: 1 }));
  const res = await app.request('/v1/batches', { method: 'POST', key, json: { items, ...extra } });
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(202);
  return body;
}

const getBatch = async (key: string, id: string) => (await (await app.request(`/v1/batches/${id}`, { key })).json()) as Json;
const items = (id: string) =>
  app.sql<{ id: string; custom_id: string; status: string }>('select id, custom_id, status from videos where batch_id = $1 order by batch_index', [id]);

describe('a batch with complete_by', () => {
  it('ends expired when items have not started by its deadline: they are uncharged and batch.expired is sent', async () => {
    app.backend.configure({ delayMs: 8_000 });
    const { key } = await app.tenant({ limits: { concurrent_videos: 1 } });
    const image = await upload(key);
    const completeBy = new Date(Date.now() + 5_000).toISOString();
    const batch = await createBatch(key, image, 3, { complete_by: completeBy });
    expect(batch.complete_by).toBe(completeBy);
    expect(Date.parse(batch.estimated_completion_at)).toBeGreaterThan(Date.parse(batch.created_at));
    const done = await until(
      'the batch to end',
      async () => {
        const b = await getBatch(key, batch.id);
        return b.status !== 'in_progress' && b;
      },
      60_000,
    );
    expect(done).toMatchObject({ status: 'expired', request_counts: { total: 3, succeeded: 1, expired: 2, queued: 0 } });
    const rows = await items(batch.id);
    expect(rows.map((r) => r.status)).toEqual(['succeeded', 'expired', 'expired']);
    const charged = await app.sql('select video_id from usage_records where video_id = any($1)', [rows.map((r) => r.id)]);
    expect(charged.map((c) => c.video_id)).toEqual([rows[0]!.id]);
    expect((await app.sql('select type from events where object_id = $1', [batch.id])).map((e) => e.type)).toContain('batch.expired');
    const usage = (await (await app.request('/v1/usage', { key })).json()) as Json;
    expect(usage.concurrent_videos.active).toBe(0);
    expect(usage.video_seconds.reserved).toBe(0);
  }, 120_000);

  it('refuses a complete_by in the past', async () => {
    const { key } = await app.tenant();
    const res = await app.request('/v1/batches', {
      method: 'POST',
      key,
      json: { items: [{ custom_id: 'a', image: await upload(key), prompt: 'p' }], complete_by: new Date(Date.now() - 1_000).toISOString() },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'validation_failed', errors: [{ param: 'complete_by' }] });
  });
});

describe("a batch and the tenant's concurrency", () => {
  it('uses every slot when nothing else waits', async () => {
    app.backend.configure({ delayMs: 1_500 });
    const { key } = await app.tenant({ limits: { concurrent_videos: 2 } });
    const batch = await createBatch(key, await upload(key), 2);
    await until('both items running at once', async () => (await getBatch(key, batch.id)).request_counts.running === 2, 30_000);
    await until('the batch to complete', async () => (await getBatch(key, batch.id)).status === 'completed', 90_000);
  }, 120_000);

  it("does not starve a single video: it takes its turn with the batch's items", async () => {
    app.backend.configure({ delayMs: 800 });
    const { key } = await app.tenant({ limits: { concurrent_videos: 1 } });
    const image = await upload(key);
    const batch = await createBatch(key, image, 4);
    await until('the first item running', async () => (await getBatch(key, batch.id)).request_counts.running === 1, 30_000);
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } });
    const single = (await res.json()) as Json;
    expect(res.status).toBe(202);
    // The batch had its turn (its first item runs) and the key's single videos none yet: this video is next.
    expect(single.queue_position).toBe(1);
    app.backend.configure({ delayMs: 50 });
    expect((await waitForStatus(app, key, single.id, ['succeeded', 'failed'], 90_000)).status).toBe('succeeded');
    await until('the batch to complete', async () => (await getBatch(key, batch.id)).status === 'completed', 90_000);
    const order = await app.sql<{ id: string }>('select id from videos where batch_id = $1 or id = $2 order by started_at', [batch.id, single.id]);
    const rows = await items(batch.id);
    expect(order.map((o) => o.id)).toEqual([rows[0]!.id, single.id, rows[1]!.id, rows[2]!.id, rows[3]!.id]);
  }, 120_000);
});
