import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

// The reference model rendering 1 s clips at most (17 frames at 16 fps), so a 2 s item is a chain.
const SHORT_CLIPS = {
  model: 'leoma/reference-i2v',
  sizes: { '480p': { '16:9': { width: 832, height: 480 }, '9:16': { width: 480, height: 832 } } },
  fps: 16,
  frames: { min: 17, max: 17, step: 4, offset: 1 },
  max_prompt_chars: 2000,
  honours: { seed: true, negative_prompt: true, camera: true },
};

let app: TestApp;
const image = dataUri(makeImage('png', '416x240'));

beforeAll(async () => {
  app = await startTestApp({ worker: true, env: { BATCH_SCHEDULE_INTERVAL_MS: '50' } });
  expect((await app.request('/v1/admin/model-capabilities', { method: 'PUT', key: app.operatorKey, json: SHORT_CLIPS })).status).toBe(201);
});
afterAll(() => app?.close());

describe('batch items with post-production', () => {
  it('takes a ratio the model does not render (cropped) and an item longer than one clip (chained), as a video on its own would', async () => {
    const { key } = await app.tenant();
    const res = await app.request('/v1/batches', {
      method: 'POST',
      key,
      json: {
        items: [
          { custom_id: 'square', image, prompt: 'a mug', duration_seconds: 1, aspect_ratio: '1:1' },
          { custom_id: 'long', image, prompt: 'a mug turning', duration_seconds: 2 },
        ],
      },
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const batch = (await res.json()) as Record<string, any>;
    const items = ((await (await app.request(`/v1/videos?batch_id=${batch.id}`, { key })).json()) as { data: Record<string, any>[] }).data;
    const byId = Object.fromEntries(items.map((v) => [v.custom_id, v]));
    expect(byId.square).toMatchObject({ aspect_ratio: '1:1', width: 480, height: 480, frames: 17 });
    expect(byId.long).toMatchObject({ duration_seconds: 2, width: 832, height: 480, frames: 33 });
    expect(byId.long.segments).toHaveLength(2);
    const [square, long] = await Promise.all([byId.square.id, byId.long.id].map((id) => waitForStatus(app, key, id, ['succeeded', 'failed'])));
    expect([square.error, long.error]).toEqual([null, null]);
    expect(square.output.steps).toEqual([{ name: 'crop', aspect_ratio: '1:1', focus: { x: 0.5, y: 0.5 }, width: 480, height: 480 }]);
    expect(square.output).toMatchObject({ width: 480, height: 480 });
    expect(long.output.steps).toEqual([{ name: 'stitch', segments: 2, transition: 'cut' }]);
    expect(long.output.duration_seconds).toBeCloseTo(33 / 16, 2);
  });

  it('takes fps, audio and transition on CSV and JSONL rows, each planned and charged as the same video alone would be', async () => {
    const { key } = await app.tenant({ limits: { included_video_seconds: 0 } });
    const form = new FormData();
    form.set('file', new Blob([makeImage('png', '416x240')]), 'mug.png');
    const fileId = ((await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as { id: string }).id;
    const csv = [
      'custom_id,image,prompt,duration_seconds,fps,audio,transition',
      `fast,${fileId},a mug,1,30,silent,`,
      `fade,${fileId},a mug turning,2,,,crossfade`,
    ].join('\n');
    const jsonl = JSON.stringify({ custom_id: 'smooth', image: fileId, prompt: 'a mug', duration_seconds: 1, fps: 24 });
    const items: Record<string, any> = {};
    for (const [body, name] of [
      [csv, 'rows.csv'],
      [jsonl, 'rows.jsonl'],
    ]) {
      const upload = new FormData();
      upload.set('file', new Blob([body!]), name);
      const res = await app.request('/v1/batches', { method: 'POST', key, body: upload });
      expect(res.status, await res.clone().text()).toBe(202);
      const batch = (await res.json()) as Record<string, any>;
      for (const v of ((await (await app.request(`/v1/videos?batch_id=${batch.id}`, { key })).json()) as { data: Record<string, any>[] }).data)
        items[v.custom_id] = v;
    }
    // As POST /v1/videos plans them: 17 frames at 16 fps → 31 at 30 fps and 25 at 24; two 1 s clips crossfaded over 4 frames.
    expect(items.fast).toMatchObject({ fps: 30, frames: 31 });
    expect(items.smooth).toMatchObject({ fps: 24, frames: 25 });
    expect(items.fade).toMatchObject({ fps: 16, frames: 29 });
    const asked: Record<string, Record<string, unknown>> = {
      fast: { duration_seconds: 1, fps: 30, audio: 'silent' },
      smooth: { duration_seconds: 1, fps: 24 },
      fade: { duration_seconds: 2, transition: 'crossfade' },
    };
    for (const [customId, ask] of Object.entries(asked)) {
      const done = await waitForStatus(app, key, items[customId].id, ['succeeded', 'failed']);
      expect(done.error, customId).toBeNull();
      const estimate = (await (await app.request('/v1/videos/estimate', { method: 'POST', key, json: { prompt: 'p', ...ask } })).json()) as Record<string, any>;
      expect(done.cost.amount, customId).toBe(estimate.cost.amount);
      expect(done.cost.post_production_seconds, customId).toBe(estimate.post_production_seconds);
      const [usage] = await app.sql('select video_seconds, amount_minor from usage_records where video_id = $1', [done.id]);
      expect(usage, customId).toEqual({ video_seconds: estimate.cost.overage_seconds, amount_minor: estimate.cost.amount });
      items[customId] = done;
    }
    expect(items.fast.output.steps).toEqual([
      { name: 'interpolate', method: 'motion', fps: 30, frames: 31 },
      { name: 'audio', source: 'silent' },
    ]);
    expect(items.fast.cost).toMatchObject({ amount: 2, post_production_seconds: 1 });
    expect(items.fade.output.steps).toEqual([{ name: 'stitch', segments: 2, transition: 'crossfade', crossfade_seconds: 0.25 }]);
  });

  it('refuses bad fps, audio and transition per row, with the rules of a single video', async () => {
    const { key } = await app.tenant();
    const res = await app.request('/v1/batches', {
      method: 'POST',
      key,
      json: {
        items: [
          { custom_id: 'a', image, prompt: 'p', duration_seconds: 1, fps: 25 },
          { custom_id: 'b', image, prompt: 'p', duration_seconds: 1, audio: 'loud' },
          { custom_id: 'c', image, prompt: 'p', duration_seconds: 1, transition: 'wipe' },
          // A crossfade joins segments; a 1 s item is one clip here.
          { custom_id: 'd', image, prompt: 'p', duration_seconds: 1, transition: 'crossfade' },
          { custom_id: 'e', image, prompt: 'p', duration_seconds: 1, fps: 'fast' },
        ],
      },
    });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as Record<string, any>;
    expect(problem).toMatchObject({ code: 'batch_invalid_rows', rejected_count: 5 });
    expect(problem.rows.map((r: Record<string, any>) => `${r.errors[0].param}:${r.errors[0].code}`)).toEqual([
      'fps:invalid_value',
      'audio:invalid_value',
      'transition:invalid_value',
      'transition:invalid',
      'fps:invalid_value',
    ]);
  });
});
