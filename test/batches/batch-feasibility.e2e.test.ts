import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';

type Json = Record<string, any>;

/**
 * Issue 32: a batch's complete_by that the plan's throughput cannot meet is refused up front with
 * the earliest feasible time. No worker runs here, so nothing renders: the pool's mean render time
 * is QUEUE_ETA_FALLBACK_SECONDS (60 s) and every accepted item stays unfinished, ahead of the next batch.
 */
const RENDER_S = 60;
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ env: { QUEUE_ETA_FALLBACK_SECONDS: String(RENDER_S) } });
});
afterAll(() => app?.close());

async function upload(key: string): Promise<string> {
  const form = new FormData();
  form.set('file', new Blob([makeImage('png', '64x64')], { type: 'image/png' }), 'a.png');
  return ((await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as { id: string }).id;
}

async function submit(key: string, image: string, n: number, extra: Json = {}) {
  const items = Array.from({ length: n }, (_, i) => ({ custom_id: `i${i}`, image, prompt: 'turntable', duration_seconds: 1 }));
  const res = await app.request('/v1/batches', { method: 'POST', key, json: { items, ...extra } });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Json };
}

describe("a batch's complete_by and the plan's throughput", () => {
  it('refuses one it cannot meet with the earliest feasible time, which is then accepted; a later one is accepted too', async () => {
    const { key } = await app.tenant({ limits: { concurrent_videos: 2 } });
    const image = await upload(key);
    // Six items already waiting (no complete_by asked: the plan's window, never refused).
    expect((await submit(key, image, 6)).status).toBe(202);

    const asked = new Date(Date.now() + 120_000).toISOString();
    const before = Date.now();
    const refused = await submit(key, image, 4, { complete_by: asked });
    expect(refused.status).toBe(422);
    expect(refused.type).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({
      code: 'complete_by_infeasible',
      estimate: { items: 4, videos_ahead: 6, concurrent_videos: 2, render_seconds: RENDER_S },
      errors: [{ param: 'complete_by', code: 'complete_by_infeasible' }],
    });
    // (6 ahead + 4) / 2 slots = 5 renders of 60 s, plus a minute's grace to send it again in.
    const earliest = Date.parse(refused.body.earliest_complete_by);
    expect(earliest).toBeGreaterThanOrEqual(before + 5 * RENDER_S * 1000);
    expect(earliest).toBeLessThanOrEqual(Date.now() + 5 * RENDER_S * 1000 + 62_000);
    expect(refused.body.detail).toContain(refused.body.earliest_complete_by);
    expect(refused.body.suggestion).toEqual({ param: 'complete_by', values: [refused.body.earliest_complete_by] });
    expect(await app.sql('select 1 from batches where complete_by = $1', [asked])).toHaveLength(0);

    const accepted = await submit(key, image, 4, { complete_by: refused.body.earliest_complete_by });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.body.complete_by).toBe(refused.body.earliest_complete_by);

    // Ten unfinished now: two more items need 6 renders; an hour is plenty.
    const later = await submit(key, image, 2, { complete_by: new Date(Date.now() + 3_600_000).toISOString() });
    expect(later.status, JSON.stringify(later.body)).toBe(202);
  });

  it("counts only the caller's own work: another tenant's queue does not make it infeasible", async () => {
    const busy = await app.tenant({ limits: { concurrent_videos: 1 } });
    expect((await submit(busy.key, await upload(busy.key), 20)).status).toBe(202);
    const { key } = await app.tenant({ limits: { concurrent_videos: 1 } });
    const ok = await submit(key, await upload(key), 2, { complete_by: new Date(Date.now() + 2 * RENDER_S * 1000 + 30_000).toISOString() });
    expect(ok.status, JSON.stringify(ok.body)).toBe(202);
  });

  it('names a time past the plan window when no complete_by could be met', async () => {
    const { key } = await app.tenant({ limits: { concurrent_videos: 1, batch_complete_seconds: 600 } });
    const refused = await submit(key, await upload(key), 20, { complete_by: new Date(Date.now() + 590_000).toISOString() });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('complete_by_infeasible');
    expect(Date.parse(refused.body.earliest_complete_by)).toBeGreaterThan(Date.now() + 600_000);
    expect(refused.body.detail).toMatch(/later than your plan's 600 s window/);
  });
});
