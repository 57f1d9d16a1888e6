import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

let app: TestApp;
const image = dataUri(makeImage('png', '416x240'));
const dir = mkdtempSync(join(tmpdir(), 'leoma-crossfade-'));

beforeAll(async () => {
  app = await startTestApp({ worker: true });
});
afterAll(() => app?.close());

const probe = (file: string) =>
  JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-print_format', 'json', '-show_streams', '-show_format', file]).toString()) as {
    streams: Record<string, string>[];
    format: { duration: string };
  };

async function downloadContent(key: string, id: string, name: string): Promise<string> {
  const content = await app.request(`/v1/videos/${id}/content`, { key });
  expect(content.status).toBe(302);
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(await (await fetch(content.headers.get('location')!)).arrayBuffer()));
  return file;
}

const storyboard = [
  { prompt: 'the mug turns', duration_seconds: 1 },
  { prompt: 'steam rises', duration_seconds: 1 },
  { prompt: 'the light dims', duration_seconds: 1 },
];

describe('segment transitions', () => {
  it('crossfades 0.25 s at each boundary: 4 frames fewer per boundary than a cut, with the step named', async () => {
    const { key } = await app.tenant();
    const res = await app.request('/v1/videos', {
      method: 'POST',
      key,
      json: { prompt: 'a mug', image, segments: storyboard, transition: 'crossfade', seed: 3 },
    });
    expect(res.status).toBe(202);
    const fade = (await res.json()) as Record<string, any>;
    // 17 frames a second at 16 fps (4k+1); a cut would drop each later segment's repeated first frame
    // (17 × 3 − 2 = 49, as test/videos/video-segments.e2e.test.ts checks), a crossfade also overlaps 4.
    expect(fade).toMatchObject({ duration_seconds: 3, frames: 17 * 3 - 2 - 2 * 4 });
    const done = await waitForStatus(app, key, fade.id, ['succeeded', 'failed']);
    expect(done.status).toBe('succeeded');
    expect(done.output.steps).toEqual([{ name: 'stitch', segments: 3, transition: 'crossfade', crossfade_seconds: 0.25 }]);
    expect(done.provenance.steps).toEqual(done.output.steps);
    expect(done.segments.map((s: any) => s.frames)).toEqual([17, 17, 17]);

    const file = probe(await downloadContent(key, fade.id, 'fade.mp4'));
    expect(file.streams[0]).toMatchObject({ nb_read_frames: '41', r_frame_rate: '16/1', width: 832, height: 480 });
    expect(Number(file.format.duration)).toBeCloseTo(41 / 16, 2);
    // Charged for the seconds rendered, as a cut would be.
    expect(done.cost).toMatchObject({ included_seconds_used: 3, overage_seconds: 0 });
  });

  it('refuses a transition on a video of one clip, and an unknown transition', async () => {
    const { key } = await app.tenant();
    const one = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 2, transition: 'crossfade' } });
    expect(one.status).toBe(400);
    expect(await one.json()).toMatchObject({ code: 'validation_failed', suggestion: { param: 'transition', omit: true } });
    for (const transition of ['dissolve', 1, '']) {
      const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, segments: storyboard, transition } });
      expect(res.status, String(transition)).toBe(400);
    }
  });
});
