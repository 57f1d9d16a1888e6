import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';
import { testCardRenderer } from '../../gpu/server/test-card-renderer.js';
import type { Renderer, RenderRequest } from '../../gpu/server/renderer.js';
import { currentPeriod, settlementGaps } from '../../src/usage/index.js';

// The reference model made to render like Wan 2.2 on the subnet: 81 frames (5 s at 16 fps) at most.
const WAN_LIKE = {
  model: 'leoma/reference-i2v',
  sizes: { '480p': { '16:9': { width: 832, height: 480 }, '9:16': { width: 480, height: 832 } } },
  fps: 16,
  frames: { min: 17, max: 81, step: 4, offset: 1 },
  max_prompt_chars: 2000,
  honours: { seed: true, negative_prompt: true, camera: true },
};

/** The test card, with what each render was asked, a render that can be held, and renders that fail. */
const card = testCardRenderer({ renderSize: () => null });
const asked: RenderRequest[] = [];
let hold: { at: number; released: Promise<void>; release: () => void } | null = null;
let failFrom = Number.POSITIVE_INFINITY;
const renderer: Renderer = {
  ...card,
  async render(request, signal) {
    if (request.prompt === 'warm-up') return card.render(request, signal);
    const n = asked.push(request) - 1;
    if (n >= failFrom) throw new Error('the GPU fell over');
    if (hold && n === hold.at) await hold.released;
    return card.render(request, signal);
  },
};

function holdRender(at: number) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  hold = { at, released, release };
  return release;
}

let app: TestApp;
const image = dataUri(makeImage('png', '416x240'));
const dir = mkdtempSync(join(tmpdir(), 'leoma-segments-'));

beforeAll(async () => {
  app = await startTestApp({
    worker: true,
    // Fewer retries of the failing segment: the failure test waits for all of them.
    env: { VIDEO_MAX_DURATION_SECONDS: '30', VIDEO_MAX_ATTEMPTS: '2', DISPATCH_MAX_ATTEMPTS: '2' },
    backend: { renderer, maxConcurrency: 4 },
  });
  const res = await app.request('/v1/admin/model-capabilities', { method: 'PUT', key: app.operatorKey, json: WAN_LIKE });
  expect(res.status).toBe(201);
});
afterAll(() => app?.close());

const probe = (file: string) =>
  JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-print_format', 'json', '-show_streams', '-show_format', file]).toString()) as {
    streams: Record<string, string>[];
    format: { duration: string };
  };

async function download(url: string, name: string): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(await (await fetch(url)).arrayBuffer()));
  return file;
}

/** Raw RGB of an image or a video's last frame, to compare pixels rather than encodings. */
const lastFrameRgb = (file: string, frames: number) =>
  execFileSync(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${frames - 1})`, '-fps_mode', 'vfr', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
const rgbOf = (png: Buffer) => {
  const file = join(dir, `in-${asked.length}.png`);
  writeFileSync(file, png);
  return execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 * 1024 * 1024 });
};

const get = async (key: string, id: string) => (await (await app.request(`/v1/videos/${id}`, { key })).json()) as Record<string, any>;

describe('a video longer than one clip of the model', () => {
  it('is rendered as three chained 81-frame segments, previewed after the first, and stitched into exactly 241 frames (15.0625 s)', async () => {
    const { key } = await app.tenant({ limits: { max_duration_seconds: 30, included_video_seconds: 3 } });
    const ask = { prompt: 'the camera pushes in on a test card', image, duration_seconds: 15, camera: 'zoom_in', seed: 7 };
    const estimate = (await (await app.request('/v1/videos/estimate', { method: 'POST', key, json: ask })).json()) as Record<string, any>;
    expect(estimate).toMatchObject({ duration_seconds: 15, refused: null, cost: { amount: 12, included_seconds_used: 3, overage_seconds: 12 } });

    const first = asked.length;
    const release = holdRender(first + 2);
    const res = await app.request('/v1/videos', { method: 'POST', key, json: ask });
    expect(res.status).toBe(202);
    const created = (await res.json()) as Record<string, any>;
    expect(created).toMatchObject({ duration_seconds: 15, width: 832, height: 480, fps: 16, frames: 241, seed: 7 });
    expect(created.segments).toHaveLength(3);
    expect(created.segments.map((s: any) => [s.index, s.duration_seconds, s.frames, s.status, s.url])).toEqual([
      [0, 5, 81, 'queued', null],
      [1, 5, 81, 'queued', null],
      [2, 5, 81, 'queued', null],
    ]);

    // The third segment's render is held: the first is the preview already, while the video still runs.
    try {
      const running = await until(
        'the third segment running',
        async () => {
          const v = await get(key, created.id);
          return v.segments[1].status === 'succeeded' && v.segments[2].status === 'running' ? v : null;
        },
        150_000,
      );
      expect(running.status).toBe('running');
      expect(running.output).toBeNull();
      const preview = await app.request(`/v1/videos/${created.id}/content?variant=preview`, { key });
      expect(preview.status).toBe(302);
      const previewFile = await download(preview.headers.get('location')!, 'preview.mp4');
      expect(probe(previewFile).streams[0]).toMatchObject({ width: 832, height: 480, nb_read_frames: '81' });
      expect((await app.request(`/v1/videos/${created.id}/content`, { key })).status).toBe(409);
    } finally {
      release();
      hold = null;
    }

    const done = await waitForStatus(app, key, created.id, ['succeeded', 'failed'], 150_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    // Each segment is its own render of 81 frames with the video's prompt and seed; each after the
    // first starts from exactly the previous segment's last frame.
    const renders = asked.slice(first, first + 3);
    expect(renders.map((r) => [r.frames, r.seed, r.prompt, r.width, r.height])).toEqual(Array(3).fill([81, 7, ask.prompt, 832, 480]));
    const segmentFiles = await Promise.all(done.segments.map((s: any, i: number) => download(s.url, `segment-${i}.mp4`)));
    for (const i of [1, 2]) expect(rgbOf(renders[i]!.image).equals(lastFrameRgb(segmentFiles[i - 1]!, 81))).toBe(true);

    const content = await app.request(`/v1/videos/${created.id}/content`, { key });
    const stitched = probe(await download(content.headers.get('location')!, 'video.mp4'));
    expect(stitched.streams[0]).toMatchObject({ codec_name: 'h264', width: 832, height: 480, r_frame_rate: '16/1', nb_read_frames: '241' });
    expect(Number(stitched.format.duration)).toBeCloseTo(241 / 16, 2);
    expect(done.output).toMatchObject({ width: 832, height: 480, fps: 16 });

    // Charged as one 15 s video, as estimated; each segment shows its part.
    expect(done.cost).toMatchObject({ amount: 12, included_seconds_used: 3, overage_seconds: 12 });
    expect(done.segments.map((s: any) => s.amount)).toEqual([2, 5, 5]);
    expect(done.segments.every((s: any) => s.status === 'succeeded' && s.backend_id === 'cfg_default')).toBe(true);
    const events = (await (await app.request(`/v1/events?limit=100`, { key })).json()) as { data: Record<string, any>[] };
    const segmentEvents = events.data.filter((e) => e.type === 'video.segment_succeeded' && e.data.id === created.id).map((e) => e.data.segment);
    expect(segmentEvents.sort((a, b) => a.index - b.index)).toEqual([
      { index: 0, count: 3 },
      { index: 1, count: 3 },
      { index: 2, count: 3 },
    ]);
  }, 300_000);

  it('stops at a segment that fails: the video fails, charged and downloadable for the segments delivered only', async () => {
    const { key } = await app.tenant({ limits: { max_duration_seconds: 30, included_video_seconds: 0 } });
    failFrom = asked.length + 1;
    try {
      const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 15 } });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      const failed = await waitForStatus(app, key, id, ['succeeded', 'failed'], 150_000);
      expect(failed.status).toBe('failed');
      expect(failed.error.message).toContain('Segment 2 of 3 failed; the 1 segment delivered before it (5 s) is charged');
      expect(failed.segments.map((s: any) => s.status)).toEqual(['succeeded', 'failed', 'queued']);
      expect(failed.segments[0].url).toMatch(/^http/);
      expect(failed.cost).toMatchObject({ amount: 5, included_seconds_used: 0, overage_seconds: 5 });
      expect(failed.segments.map((s: any) => s.amount)).toEqual([5, 0, 0]);
      const [usage] = await app.sql('select video_seconds, amount_minor from usage_records where video_id = $1', [id]);
      expect(usage).toEqual({ video_seconds: 5, amount_minor: 5 });
      // Reconciliation knows a broken chain's charge for what it is, not a usage record without a success.
      const db = { query: (text: string, params?: unknown[]) => app.sql(text, params) } as unknown as Parameters<typeof settlementGaps>[0];
      const gaps = await settlementGaps(db, currentPeriod());
      expect(gaps.usageWithoutSuccess.map((g) => g.video_id)).not.toContain(id);
      expect(failed.output).toBeNull();
    } finally {
      failFrom = Number.POSITIVE_INFINITY;
    }
  }, 300_000);

  it('renders a storyboard: one segment per shot with its own prompt, stitched', async () => {
    const { key } = await app.tenant({ limits: { max_duration_seconds: 30 } });
    const first = asked.length;
    const res = await app.request('/v1/videos', {
      method: 'POST',
      key,
      json: {
        prompt: 'a mug on a table',
        image,
        segments: [
          { prompt: 'the mug turns', duration_seconds: 2 },
          { prompt: 'steam rises', duration_seconds: 3 },
        ],
      },
    });
    expect(res.status).toBe(202);
    const created = (await res.json()) as Record<string, any>;
    // 2 s → 33 frames, 3 s → 49 frames, less the repeated boundary frame.
    expect(created).toMatchObject({ duration_seconds: 5, frames: 81 });
    const done = await waitForStatus(app, key, created.id, ['succeeded', 'failed']);
    expect(done.status).toBe('succeeded');
    expect(asked.slice(first).map((r) => [r.prompt, r.frames])).toEqual([
      ['the mug turns', 33],
      ['steam rises', 49],
    ]);
    const content = await app.request(`/v1/videos/${created.id}/content`, { key });
    expect(probe(await download(content.headers.get('location')!, 'story.mp4')).streams[0]).toMatchObject({ nb_read_frames: '81' });
  });

  it('records the seed it drew when none was sent, and renders with it', async () => {
    const { key } = await app.tenant();
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } });
    const created = (await res.json()) as Record<string, any>;
    expect(created.seed).toEqual(expect.any(Number));
    expect(created.seed).toBeGreaterThanOrEqual(0);
    expect(created.seed).toBeLessThan(2 ** 32);
    expect(created.segments).toBeNull();
    const first = asked.length;
    const done = await waitForStatus(app, key, created.id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'succeeded', seed: created.seed });
    expect(asked[first]!.seed).toBe(created.seed);
  });

  it('refuses bad segments and durations with a 4xx that says what would work', async () => {
    const { key } = await app.tenant({ limits: { max_duration_seconds: 20 } });
    const post = (json: Record<string, unknown>) => app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, ...json } });
    for (const segments of [
      'x',
      [],
      {},
      [{ prompt: '' }],
      [{ prompt: 'a', duration_seconds: 0 }],
      [{ prompt: 'a', duration_seconds: 'x' }],
      Array(13).fill({ prompt: 'a', duration_seconds: 1 }),
    ]) {
      const res = await post({ segments });
      expect(res.status, JSON.stringify(segments)).toBe(400);
      expect(((await res.json()) as Record<string, any>).code).toBe('validation_failed');
    }
    const tooLong = await post({ segments: [{ prompt: 'a', duration_seconds: 6 }] });
    expect(tooLong.status).toBe(422);
    expect(await tooLong.json()).toMatchObject({ code: 'unsupported_by_model', suggestion: { param: 'segments[0].duration_seconds', max: 5 } });
    const mismatch = await post({ duration_seconds: 9, segments: [{ prompt: 'a', duration_seconds: 4 }] });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toMatchObject({ code: 'validation_failed', suggestion: { param: 'duration_seconds', values: ['4'] } });
    const overPlan = await post({ duration_seconds: 25 });
    expect(overPlan.status).toBe(422);
    expect(await overPlan.json()).toMatchObject({ code: 'duration_not_allowed', suggestion: { param: 'duration_seconds', max: 20 } });
  });
});
