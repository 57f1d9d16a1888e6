import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

let app: TestApp;
let key: string;
// testsrc: colour bars and a gradient, different in every column, so where a crop was taken shows.
const image = dataUri(makeImage('png', '832x480'));
const dir = mkdtempSync(join(tmpdir(), 'leoma-aspect-'));

beforeAll(async () => {
  app = await startTestApp({ worker: true });
  ({ key } = await app.tenant());
});
afterAll(() => app?.close());

async function download(url: string, name: string): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(await (await fetch(url)).arrayBuffer()));
  return file;
}

const stream = (file: string) =>
  (
    JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-print_format', 'json', '-show_streams', file]).toString()) as {
      streams: Record<string, string>[];
    }
  ).streams[0]!;

/** The first frame of `file`, cropped to w×h at x,y, as grey bytes. */
const greyWindow = (file: string, w: number, h: number, x: number, y: number) =>
  execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', `crop=${w}:${h}:${x}:${y}`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], {
    maxBuffer: 64 * 1024 * 1024,
  });
const meanDiff = (a: Buffer, b: Buffer) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
};

async function render(json: Record<string, unknown>) {
  const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1, camera: 'static', ...json } });
  expect(res.status).toBe(202);
  const created = (await res.json()) as Record<string, any>;
  const done = await waitForStatus(app, key, created.id, ['succeeded', 'failed']);
  expect(done.error).toBeNull();
  const [out, raw] = await Promise.all([download(done.output.url, `${created.id}.mp4`), download(done.output.raw_url, `${created.id}.raw.mp4`)]);
  return { created, done, out, raw };
}

describe('aspect ratios the model does not render', () => {
  it('crops a 16:9 render to 1:1 around the focus point, keeping the raw render beside it', async () => {
    const left = await render({ aspect_ratio: '1:1', focus: { x: 0, y: 0.5 } });
    expect(left.created).toMatchObject({ aspect_ratio: '1:1', width: 480, height: 480, frames: 17 });
    expect(left.done.output).toMatchObject({ width: 480, height: 480, fps: 16 });
    expect(left.done.output.steps).toEqual([{ name: 'crop', aspect_ratio: '1:1', focus: { x: 0, y: 0.5 }, width: 480, height: 480 }]);
    expect(left.done.provenance.steps).toEqual(left.done.output.steps);
    expect(stream(left.out)).toMatchObject({ codec_name: 'h264', width: 480, height: 480, r_frame_rate: '16/1', nb_read_frames: '17' });
    expect(stream(left.raw)).toMatchObject({ width: 832, height: 480, nb_read_frames: '17' });
    // The focus point is honoured: the crop is the raw frame's left square, not its right one.
    const cropped = greyWindow(left.out, 480, 480, 0, 0);
    expect(meanDiff(cropped, greyWindow(left.raw, 480, 480, 0, 0))).toBeLessThan(4);
    expect(meanDiff(cropped, greyWindow(left.raw, 480, 480, 352, 0))).toBeGreaterThan(20);

    const right = await render({ aspect_ratio: '1:1', fit: 'crop', focus: { x: 1, y: 0 } });
    expect(meanDiff(greyWindow(right.out, 480, 480, 0, 0), greyWindow(right.raw, 480, 480, 352, 0))).toBeLessThan(4);
  });

  it('pads a 16:9 render to 1:1 on a blurred copy of itself, the frame whole in the middle', async () => {
    const { created, done, out, raw } = await render({ aspect_ratio: '1:1', fit: 'pad' });
    expect(created).toMatchObject({ width: 832, height: 832 });
    expect(done.output.steps).toEqual([{ name: 'pad', aspect_ratio: '1:1', fill: 'blur', width: 832, height: 832 }]);
    expect(stream(out)).toMatchObject({ width: 832, height: 832, r_frame_rate: '16/1', nb_read_frames: '17' });
    expect(meanDiff(greyWindow(out, 832, 480, 0, 176), greyWindow(raw, 832, 480, 0, 0))).toBeLessThan(4);
  });

  it('makes 4:5 from the portrait render: 480×600 cropped, 666×832 padded', async () => {
    const crop = await render({ aspect_ratio: '4:5' });
    expect(stream(crop.raw)).toMatchObject({ width: 480, height: 832 });
    expect(stream(crop.out)).toMatchObject({ width: 480, height: 600, nb_read_frames: '17' });
    const pad = await render({ aspect_ratio: '4:5', fit: 'pad' });
    expect(stream(pad.out)).toMatchObject({ width: 666, height: 832, nb_read_frames: '17' });
  });

  it('cuts one render into several ratios (outputs), each its own file, the render made and charged once', async () => {
    const { key: own } = await app.tenant({ limits: { included_video_seconds: 0 } });
    const ask = {
      prompt: 'p',
      image,
      duration_seconds: 1,
      camera: 'static',
      outputs: [{ aspect_ratio: '1:1', focus: { x: 0, y: 0.5 } }, { aspect_ratio: '4:5', fit: 'pad' }, { aspect_ratio: '16:9' }],
    };
    const estimate = (await (await app.request('/v1/videos/estimate', { method: 'POST', key: own, json: ask })).json()) as Record<string, any>;
    const res = await app.request('/v1/videos', { method: 'POST', key: own, json: ask });
    expect(res.status).toBe(202);
    const first = app.backend.stats().started;
    const done = await waitForStatus(app, own, ((await res.json()) as { id: string }).id, ['succeeded', 'failed']);
    expect(done.status).toBe('succeeded');
    expect(app.backend.stats().started - first).toBeLessThanOrEqual(1);
    expect(done.cost).toMatchObject({ amount: estimate.cost.amount, overage_seconds: 1 });
    expect(done.output).toMatchObject({ width: 832, height: 480, steps: [] });
    expect(done.output.outputs.map((o: any) => [o.aspect_ratio, o.width, o.height, o.steps.map((s: any) => s.name)])).toEqual([
      ['1:1', 480, 480, ['crop']],
      ['4:5', 832, 1040, ['pad']],
      ['16:9', 832, 480, []],
    ]);
    const raw = await download(done.output.raw_url, 'outputs-raw.mp4');
    for (const [i, o] of (done.output.outputs as any[]).entries()) {
      const file = await download(o.url, `outputs-${i}.mp4`);
      expect(stream(file)).toMatchObject({ width: o.width, height: o.height, r_frame_rate: '16/1', nb_read_frames: '17' });
    }
    const square = await download(done.output.outputs[0].url, 'outputs-square.mp4');
    expect(meanDiff(greyWindow(square, 480, 480, 0, 0), greyWindow(raw, 480, 480, 0, 0))).toBeLessThan(4);
  });

  it('costs what the estimate said, and the models list says how each ratio is made', async () => {
    const { key: own } = await app.tenant({ limits: { included_video_seconds: 0 } });
    const ask = { prompt: 'p', image, duration_seconds: 2, aspect_ratio: '1:1', fit: 'pad' };
    const estimate = (await (await app.request('/v1/videos/estimate', { method: 'POST', key: own, json: ask })).json()) as Record<string, any>;
    const res = await app.request('/v1/videos', { method: 'POST', key: own, json: ask });
    const done = await waitForStatus(app, own, ((await res.json()) as { id: string }).id, ['succeeded', 'failed']);
    expect(estimate.cost.amount).toBeGreaterThan(0);
    expect(done.cost).toMatchObject({ amount: estimate.cost.amount, overage_seconds: estimate.cost.overage_seconds });

    const pricing = (await (await app.request('/v1/pricing')).json()) as { post_production: Record<string, any>[] };
    expect(pricing.post_production.map((s) => [s.step, s.source ?? null, s.amount_per_second, s.billed_seconds_per_second])).toEqual([
      ['stitch', null, 0, 0],
      ['crop', null, 0, 0],
      ['pad', null, 0, 0],
      ['upscale', null, 0, 0.2],
      ['interpolate', null, 0, 0.5],
      ['audio', 'silent', 0, 0],
      ['audio', 'file', 0, 0.1],
    ]);
    const models = (await (await app.request('/v1/models', { key })).json()) as { data: { capabilities: Record<string, any> }[] };
    expect(models.data[0]!.capabilities).toMatchObject({
      segment_seconds: 60,
      aspect_ratios: { '480p': { '16:9': 'native', '9:16': 'native', '1:1': 'crop_or_pad', '4:5': 'crop_or_pad' } },
    });
  });

  it('refuses bad values for the new options with a 4xx naming the field', async () => {
    const post = (json: Record<string, unknown>) => app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, ...json } });
    for (const [json, param] of [
      [{ aspect_ratio: '3:2' }, 'aspect_ratio'],
      [{ fit: 'stretch' }, 'fit'],
      [{ fit: 1 }, 'fit'],
      [{ focus: 'centre' }, 'focus'],
      [{ focus: { x: 1.5, y: 0.5 } }, 'focus.x'],
      [{ focus: { x: 0.5 } }, 'focus.y'],
      [{ focus: { x: -0.1, y: 'a' } }, 'focus.x'],
      [{ outputs: 'x' }, 'outputs'],
      [{ outputs: [] }, 'outputs'],
      [{ outputs: [{ fit: 'crop' }] }, 'outputs.0.aspect_ratio'],
      [{ outputs: [{ aspect_ratio: '2:1' }] }, 'outputs.0.aspect_ratio'],
      [{ outputs: [{ aspect_ratio: '1:1', focus: { x: 2, y: 0 } }] }, 'outputs.0.focus.x'],
      [{ outputs: Array(5).fill({ aspect_ratio: '1:1' }) }, 'outputs'],
    ] as const) {
      const res = await post(json);
      const body = (await res.json()) as Record<string, any>;
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(body.code).toBe('validation_failed');
      expect(body.errors.map((e: { param: string }) => e.param)).toContain(param);
    }
    const padFocus = await post({ aspect_ratio: '1:1', fit: 'pad', focus: { x: 0.5, y: 0.5 } });
    expect(padFocus.status).toBe(400);
    expect(await padFocus.json()).toMatchObject({ code: 'validation_failed', suggestion: { param: 'focus', omit: true } });
    const outputPadFocus = await post({ outputs: [{ aspect_ratio: '1:1', fit: 'pad', focus: { x: 0.5, y: 0.5 } }] });
    expect(outputPadFocus.status).toBe(400);
    expect(await outputPadFocus.json()).toMatchObject({ code: 'validation_failed', suggestion: { param: 'outputs[0].focus', omit: true } });
  });
});
