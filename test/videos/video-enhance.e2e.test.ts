import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

// The reference model made to render like a model without 720p: 832×480 at 16 fps only.
const LOW_RES = {
  model: 'leoma/reference-i2v',
  sizes: { '480p': { '16:9': { width: 832, height: 480 }, '9:16': { width: 480, height: 832 } } },
  fps: 16,
  frames: { min: 17, max: 81, step: 4, offset: 1 },
  max_prompt_chars: 2000,
  honours: { seed: true, negative_prompt: true, camera: true },
};

let app: TestApp;
const image = dataUri(makeImage('png', '416x240'));
const dir = mkdtempSync(join(tmpdir(), 'leoma-enhance-'));

beforeAll(async () => {
  app = await startTestApp({ worker: true, env: { VIDEO_INTERPOLATE_MAX_SECONDS: '2' } });
  expect((await app.request('/v1/admin/model-capabilities', { method: 'PUT', key: app.operatorKey, json: LOW_RES })).status).toBe(201);
});
afterAll(() => app?.close());

const probe = (file: string) =>
  JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-print_format', 'json', '-show_streams', '-show_format', file]).toString()) as {
    streams: Record<string, string>[];
    format: { duration: string };
  };

async function download(key: string, id: string, variant: string): Promise<string> {
  const content = await app.request(`/v1/videos/${id}/content?variant=${variant}`, { key });
  expect(content.status).toBe(302);
  const file = join(dir, `${id}-${variant}.mp4`);
  writeFileSync(file, Buffer.from(await (await fetch(content.headers.get('location')!)).arrayBuffer()));
  return file;
}

describe('upscale and frame interpolation', () => {
  it('interpolates to 30 fps and upscales to 720p, named in order, priced in video-seconds as estimated and as the pricing says', async () => {
    const pricing = (await (await app.request('/v1/pricing')).json()) as { post_production: Record<string, any>[] };
    const rate = (step: string) => pricing.post_production.find((p) => p.step === step)!.billed_seconds_per_second;
    expect([rate('upscale'), rate('interpolate'), rate('crop')]).toEqual([0.2, 0.5, 0]);

    const { key } = await app.tenant({ limits: { included_video_seconds: 0 } });
    const ask = { prompt: 'a mug', duration_seconds: 1, resolution: '720p', fps: 30 };
    const estimate = (await (await app.request('/v1/videos/estimate', { method: 'POST', key, json: ask })).json()) as Record<string, any>;
    // 1 s of video, plus ⌈0.5 × 1⌉ for the interpolation and ⌈0.2 × 1⌉ for the upscale, at the 720p rate (2 on enterprise).
    expect(estimate).toMatchObject({ duration_seconds: 1, post_production_seconds: 2, refused: null, cost: { amount: 6, overage_seconds: 3, unit_amount: 2 } });

    const res = await app.request('/v1/videos', { method: 'POST', key, json: { ...ask, image } });
    expect(res.status).toBe(202);
    const created = (await res.json()) as Record<string, any>;
    // 17 frames at 16 fps (1 s) → 31 at 30 fps, first and last at the same times; 832×480 × 1.5.
    expect(created).toMatchObject({ resolution: '720p', width: 1248, height: 720, fps: 30, frames: 31 });
    const done = await waitForStatus(app, key, created.id, ['succeeded', 'failed']);
    expect(done.error).toBeNull();
    expect(done.output.steps).toEqual([
      { name: 'interpolate', method: 'motion', fps: 30, frames: 31 },
      { name: 'upscale', method: 'lanczos', width: 1248, height: 720 },
    ]);
    expect(done.provenance.steps).toEqual(done.output.steps);
    expect(done.output).toMatchObject({ width: 1248, height: 720, fps: 30 });
    expect(done.cost).toMatchObject({ amount: estimate.cost.amount, overage_seconds: 3, post_production_seconds: 2 });
    const [usage] = await app.sql('select video_seconds, amount_minor, resolution from usage_records where video_id = $1', [created.id]);
    expect(usage).toEqual({ video_seconds: 3, amount_minor: 6, resolution: '720p' });

    const file = probe(await download(key, created.id, 'video'));
    expect(file.streams[0]).toMatchObject({ codec_name: 'h264', width: 1248, height: 720, r_frame_rate: '30/1', nb_read_frames: '31' });
    expect(Number(file.format.duration)).toBeCloseTo(31 / 30, 1);
    // The model's render stays available as it was made.
    expect(probe(await download(key, created.id, 'raw')).streams[0]).toMatchObject({ width: 832, height: 480, r_frame_rate: '16/1', nb_read_frames: '17' });
  });

  it("upscales to 1080p at 30 fps: 1080 lines, the render's ratio, the frame rate and duration exact, priced as estimated", async () => {
    const { key } = await app.tenant({ limits: { included_video_seconds: 0 } });
    const ask = { prompt: 'a mug', duration_seconds: 1, resolution: '1080p', fps: 30 };
    const estimate = (await (await app.request('/v1/videos/estimate', { method: 'POST', key, json: ask })).json()) as Record<string, any>;
    expect(estimate).toMatchObject({ resolution: '1080p', refused: null });
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { ...ask, image } });
    expect(res.status, await res.clone().text()).toBe(202);
    const created = (await res.json()) as Record<string, any>;
    // 832×480 × 2.25; 17 frames at 16 fps → 31 at 30 fps.
    expect(created).toMatchObject({ resolution: '1080p', width: 1872, height: 1080, fps: 30, frames: 31 });
    const done = await waitForStatus(app, key, created.id, ['succeeded', 'failed'], 200_000);
    expect(done.error).toBeNull();
    expect(done.output.steps).toEqual([
      { name: 'interpolate', method: 'motion', fps: 30, frames: 31 },
      { name: 'upscale', method: 'lanczos', width: 1872, height: 1080 },
    ]);
    expect(done.cost.amount).toBe(estimate.cost.amount);
    expect(done.cost.post_production_seconds).toBe(estimate.post_production_seconds);
    const file = probe(await download(key, created.id, 'video'));
    expect(file.streams[0]).toMatchObject({ codec_name: 'h264', width: 1872, height: 1080, r_frame_rate: '30/1', nb_read_frames: '31' });
    expect(Number(file.format.duration)).toBeCloseTo(31 / 30, 1);
  }, 240_000);

  it("adds a silent AAC track of the video's length on request (no sound is generated), free", async () => {
    const { key } = await app.tenant({ limits: { included_video_seconds: 0 } });
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'a mug', image, duration_seconds: 1, audio: 'silent' } });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const done = await waitForStatus(app, key, id, ['succeeded', 'failed']);
    expect(done.error).toBeNull();
    expect(done.output.steps).toEqual([{ name: 'audio', source: 'silent' }]);
    expect(done.cost).toMatchObject({ amount: 1, overage_seconds: 1, post_production_seconds: 0 });
    const file = probe(await download(key, id, 'video'));
    const [video, audio] = [file.streams.find((s) => s.codec_type === 'video')!, file.streams.find((s) => s.codec_type === 'audio')!];
    expect(video).toMatchObject({ codec_name: 'h264', width: 832, height: 480, nb_read_frames: '17' });
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    // As long as the picture, to within one AAC frame (1024 samples at 48 kHz).
    expect(Math.abs(Number(audio.duration) - Number(video.duration))).toBeLessThan(1024 / 48000 + 0.001);
    // Silence: the loudest sample is at -91 dB or below (ffmpeg's floor for digital zero).
    const levels = spawnSync(
      'ffmpeg',
      ['-v', 'info', '-nostdin', '-i', join(dir, `${id}-video.mp4`), '-map', '0:a', '-af', 'volumedetect', '-f', 'null', '-'],
      {
        encoding: 'utf8',
      },
    ).stderr;
    expect(Number(/max_volume: (-?[\d.]+|-inf) dB/.exec(levels)?.[1] ?? 'NaN')).toBeLessThanOrEqual(-91);
  });

  it('upscales every extra output as asked, each upscale priced, dimensions as ffprobe reads them', async () => {
    const { key } = await app.tenant({ limits: { included_video_seconds: 0 } });
    const ask = { prompt: 'a mug', duration_seconds: 1, resolution: '720p', outputs: [{ aspect_ratio: '1:1' }, { aspect_ratio: '9:16', fit: 'pad' }] };
    const estimate = (await (await app.request('/v1/videos/estimate', { method: 'POST', key, json: ask })).json()) as Record<string, any>;
    // 1 s, plus ⌈0.2 × 1⌉ for each of the three files upscaled, at the 720p rate (2).
    expect(estimate).toMatchObject({ post_production_seconds: 3, refused: null, cost: { amount: 8, overage_seconds: 4 } });
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { ...ask, image } });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const done = await waitForStatus(app, key, id, ['succeeded', 'failed']);
    expect(done.error).toBeNull();
    expect(done.cost).toMatchObject({ amount: estimate.cost.amount, post_production_seconds: 3 });
    // The 480p render, 832×480, is upscaled ×1.5 to 1248×720; its 1:1 crop, 480×480, to 720×720; its 9:16 pad likewise.
    const [square, tall] = done.output.outputs as Record<string, any>[];
    expect(square).toMatchObject({ aspect_ratio: '1:1', width: 720, height: 720 });
    expect(square.steps.map((s: { name: string }) => s.name)).toEqual(['crop', 'upscale']);
    expect(tall.steps.map((s: { name: string }) => s.name)).toEqual(['pad', 'upscale']);
    for (const [i, out] of [square, tall].entries()) {
      const file = join(dir, `${id}-extra-${i}.mp4`);
      writeFileSync(file, Buffer.from(await (await fetch(out.url)).arrayBuffer()));
      expect(probe(file).streams[0]).toMatchObject({ width: out.width, height: out.height, nb_read_frames: '17' });
      expect(out.steps.at(-1)).toEqual({ name: 'upscale', method: 'lanczos', width: out.width, height: out.height });
    }
    expect(probe(await download(key, id, 'video')).streams[0]).toMatchObject({ width: 1248, height: 720 });
  });

  it('refuses bad values with a 4xx that says what would work', async () => {
    const { key } = await app.tenant();
    const post = (json: Record<string, unknown>) =>
      app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1, ...json } });
    for (const bad of [{ fps: 25 }, { fps: 60 }, { fps: 'x' }, { resolution: '4k' }, { resolution: '1440p' }, { audio: 'ambient' }, { audio: true }]) {
      const res = await post(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(((await res.json()) as Record<string, any>).code).toBe('validation_failed');
    }
    const long = await post({ fps: 24, duration_seconds: 3 });
    expect(long.status).toBe(422);
    expect(await long.json()).toMatchObject({ code: 'duration_not_allowed', suggestion: { param: 'duration_seconds', max: 2 } });
    const withOutputs = await post({ fps: 24, outputs: [{ aspect_ratio: '1:1' }] });
    expect(withOutputs.status).toBe(400);
    expect(await withOutputs.json()).toMatchObject({ code: 'validation_failed', suggestion: { param: 'outputs', omit: true } });
    const { key: small } = await app.tenant({ limits: { max_resolution: '480p' } });
    const over = await app.request('/v1/videos', { method: 'POST', key: small, json: { prompt: 'p', image, resolution: '1080p' } });
    expect(over.status).toBe(422);
    expect(await over.json()).toMatchObject({ code: 'resolution_not_allowed', suggestion: { param: 'resolution', values: ['480p'] } });
  });
});
