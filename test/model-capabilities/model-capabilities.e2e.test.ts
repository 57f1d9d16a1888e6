import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

// Two Wan 2.2 fine-tunes ranked, one backend each, so the fallback after a wrong-size output is visible.
const RANKING = [
  { model: 'acme/leoma-wan22', model_revision: `sha256:${'ab'.repeat(32)}`, miner_hotkey: '5FwinnerHotkey', miner_uid: 7 },
  { model: 'acme/leoma-runner', model_revision: `hf:${'cd'.repeat(20)}`, miner_hotkey: '5FrunnerHotkey', miner_uid: 12 },
];

let app: TestApp;
let key: string;
const image = dataUri(makeImage('png'));

beforeAll(async () => {
  app = await startTestApp({
    worker: true,
    // Each GPU server has its model's snapshot loaded, as the contract's `--model repo@digest` says.
    backends: RANKING.map((r) => ({ model: r.model, maxConcurrency: 2, loadedModel: { repo: r.model, digest: r.model_revision } })),
    env: { MODEL_RANKING: JSON.stringify(RANKING), BACKEND_HEALTH_INTERVAL_MS: '0' },
  });
  ({ key } = await app.tenant());
});
afterAll(() => app?.close());

const create = (body: Record<string, unknown>) => app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'a sneaker turns', image, ...body } });
const usage = async () => (await app.sql('select count(*)::int as n from usage_records'))[0].n as number;

function ffprobe(mp4: Buffer): Record<string, any> {
  const dir = mkdtempSync(join(tmpdir(), 'leoma-caps-'));
  writeFileSync(join(dir, 'v.mp4'), mp4);
  const out = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', join(dir, 'v.mp4')]).toString());
  return out.streams.find((s: { codec_type: string }) => s.codec_type === 'video');
}

describe('Wan 2.2 output as the subnet generates it', () => {
  it('480p 16:9 for 5 s is 832×480, 16 fps, 81 frames — announced on creation and true of the MP4', async () => {
    const res = await create({ duration_seconds: 5, resolution: '480p', aspect_ratio: '16:9', negative_prompt: 'blurry, watermark' });
    expect(res.status).toBe(202);
    const created = (await res.json()) as Record<string, any>;
    expect(created).toMatchObject({ width: 832, height: 480, fps: 16, frames: 81, negative_prompt: 'blurry, watermark' });
    const done = await waitForStatus(app, key, created.id, ['succeeded', 'failed']);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.provenance).toMatchObject({ model: 'acme/leoma-wan22', backend_id: 'ref_0' });
    // What the model was asked, over the Cog protocol.
    expect(app.backends[0]!.stats().lastInput).toMatchObject({ negative_prompt: 'blurry, watermark', num_frames: 81, fps: 16, width: 832, height: 480 });
    const content = await app.request(`/v1/videos/${created.id}/content`, { key });
    const stream = ffprobe(Buffer.from(await (await fetch(content.headers.get('location')!)).arrayBuffer()));
    expect(stream).toMatchObject({ codec_name: 'h264', width: 832, height: 480, r_frame_rate: '16/1', nb_frames: '81' });
  });

  it('9:16 is 480×832; 720p is 1280×720', async () => {
    const portrait = (await (await create({ duration_seconds: 1, aspect_ratio: '9:16' })).json()) as Record<string, any>;
    expect(portrait).toMatchObject({ width: 480, height: 832, frames: 17 });
    const hd = (await (await create({ duration_seconds: 3, resolution: '720p' })).json()) as Record<string, any>;
    expect(hd).toMatchObject({ width: 1280, height: 720, frames: 49 });
    const done = await Promise.all([portrait.id, hd.id].map((id) => waitForStatus(app, key, id, ['succeeded', 'failed'])));
    expect(done.map((v) => [v.status, v.output?.width, v.output?.height])).toEqual([
      ['succeeded', 480, 832],
      ['succeeded', 1280, 720],
    ]);
  });

  it('a backend returning 854×480 is output_invalid and the video fails over to the next model', async () => {
    app.backends[0]!.configure({ renderSize: { width: 854, height: 480 } });
    const startedBefore = app.backends[0]!.stats().started;
    try {
      const created = (await (await create({ duration_seconds: 1 })).json()) as { id: string };
      const done = await waitForStatus(app, key, created.id, ['succeeded', 'failed']);
      expect(done).toMatchObject({ status: 'succeeded', output: { width: 832, height: 480 }, provenance: { model: 'acme/leoma-runner', backend_id: 'ref_1' } });
      expect(app.backends[0]!.stats().started).toBe(startedBefore + 1);
    } finally {
      app.backends[0]!.configure({ renderSize: null });
    }
  });
});

describe('requests the serving model cannot satisfy', () => {
  it('is not a square frame nor more than one clip: those are made around the render (a crop, chained segments)', async () => {
    const square = (await (await create({ duration_seconds: 1, aspect_ratio: '1:1' })).json()) as Record<string, any>;
    expect(square).toMatchObject({ width: 480, height: 480, aspect_ratio: '1:1' });
    const long = (await (await create({ duration_seconds: 6 })).json()) as Record<string, any>;
    expect(long).toMatchObject({ frames: 97, segments: [{ frames: 81 }, { frames: 17 }] });
  });

  it.each([
    [
      'a storyboard shot longer than one clip (6 s = 97 > 81 frames)',
      { duration_seconds: 6, segments: [{ prompt: 'p', duration_seconds: 6 }] },
      'segments[0].duration_seconds',
    ],
    ['a camera move (Wan 2.2 has no camera control)', { camera: 'orbit' }, 'camera'],
  ])('%s → 422 unsupported_by_model, nothing charged', async (_name, body, param) => {
    const [usageBefore, videosBefore] = [await usage(), (await app.sql('select count(*)::int as n from videos'))[0].n];
    const res = await create({ duration_seconds: 1, ...body });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as Record<string, any>;
    expect(problem).toMatchObject({ code: 'unsupported_by_model', model: 'acme/leoma-wan22', errors: [{ param, code: 'unsupported_by_model' }] });
    expect(await usage()).toBe(usageBefore);
    expect((await app.sql('select count(*)::int as n from videos'))[0].n).toBe(videosBefore);
  });
});

describe('capabilities as data', () => {
  const square = {
    model: 'acme/leoma-wan22',
    sizes: { '480p': { '16:9': { width: 832, height: 480 }, '1:1': { width: 640, height: 640 } } },
    fps: 16,
    frames: { min: 17, max: 81, step: 4, offset: 1 },
    max_prompt_chars: 500,
    honours: { seed: true, negative_prompt: true, camera: false },
  };

  it('GET /v1/models is public and shows each ranked model with its rank and capabilities', async () => {
    const res = await app.request('/v1/models');
    expect(res.status).toBe(200);
    const list = (await res.json()) as Record<string, any>;
    expect(list.data.map((m: { model: string; rank: number }) => [m.rank, m.model])).toEqual([
      [1, 'acme/leoma-wan22'],
      [2, 'acme/leoma-runner'],
    ]);
    expect(list.data[0].capabilities).toMatchObject({
      source: 'default',
      id: null,
      fps: 16,
      frames: { min: 17, max: 81, step: 4, offset: 1 },
      sizes: { '480p': { '16:9': { width: 832, height: 480 }, '9:16': { width: 480, height: 832 } }, '720p': { '16:9': { width: 1280, height: 720 } } },
      honours: { seed: true, negative_prompt: true, camera: false },
    });
    expect(list.data[0].capabilities.sizes['480p']['1:1']).toBeUndefined();
  });

  it('an operator override changes what requests may ask for, and removing it restores the defaults', async () => {
    const put = await app.request('/v1/admin/model-capabilities', { method: 'PUT', key: app.operatorKey, json: square });
    expect(put.status).toBe(201);
    const override = (await put.json()) as Record<string, any>;
    expect(override).toMatchObject({ object: 'model_capabilities', model: 'acme/leoma-wan22', source: 'override', id: expect.stringMatching(/^mcap_/) });
    expect((await app.request('/v1/admin/model-capabilities', { method: 'PUT', key: app.operatorKey, json: square })).status).toBe(200);

    const sq = await create({ duration_seconds: 1, aspect_ratio: '1:1' });
    expect(sq.status).toBe(202);
    expect(await sq.json()).toMatchObject({ width: 640, height: 640 });
    const long = await create({ duration_seconds: 1, prompt: 'x'.repeat(501) });
    expect(((await long.json()) as Record<string, any>).errors[0]).toMatchObject({ param: 'prompt', code: 'unsupported_by_model' });
    const models = (await (await app.request('/v1/models')).json()) as Record<string, any>;
    expect(models.data[0].capabilities).toMatchObject({ source: 'override', id: override.id });

    expect((await app.request(`/v1/admin/model-capabilities/${override.id}`, { method: 'DELETE', key: app.operatorKey })).status).toBe(204);
    // Back to Wan 2.2's sizes: a square is a crop of its 832×480 render, no longer a native 640×640.
    expect(await (await create({ duration_seconds: 1, aspect_ratio: '1:1' })).json()).toMatchObject({ width: 480, height: 480 });
    expect((await app.request('/v1/admin/model-capabilities', { key: app.operatorKey }).then((r) => r.json())) as Record<string, any>).toMatchObject({
      data: [],
    });
  });

  it.each([
    ['an odd side', { sizes: { '480p': { '16:9': { width: 833, height: 480 } } } }, 'sizes'],
    ['an unknown aspect ratio', { sizes: { '480p': { '4:3': { width: 640, height: 480 } } } }, 'sizes'],
    ['no size at all', { sizes: {} }, 'sizes'],
    ['a frame range off the rule', { frames: { min: 16, max: 81, step: 4, offset: 1 } }, 'frames.min'],
    ['a model that is not owner/name', { model: 'wan' }, 'model'],
  ])('refuses an override with %s', async (_name, change, param) => {
    const res = await app.request('/v1/admin/model-capabilities', { method: 'PUT', key: app.operatorKey, json: { ...square, ...change } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Record<string, any>).errors.map((e: { param: string }) => e.param)).toContain(param);
  });

  it('is for operators only', async () => {
    expect((await app.request('/v1/admin/model-capabilities', { method: 'PUT', key, json: square })).status).toBe(403);
  });
});
