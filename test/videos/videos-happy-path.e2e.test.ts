import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

let app: TestApp;
let key: string;

beforeAll(async () => {
  app = await startTestApp({ worker: true });
  ({ key } = await app.tenant());
});
afterAll(() => app?.close());

describe('a video, end to end', () => {
  it("turns a data-URI image into a valid MP4 of the serving model's size, rate and frame count", async () => {
    const res = await app.request('/v1/videos', {
      method: 'POST',
      key,
      json: {
        prompt: 'slow push-in on a test card',
        image: dataUri(makeImage('png')),
        duration_seconds: 2,
        resolution: '480p',
        aspect_ratio: '16:9',
        camera: 'zoom_in',
        metadata: { sku: 'A-1' },
      },
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const created = (await res.json()) as Record<string, any>;
    // Wan 2.2's 480p 16:9 frame, 16 fps, and 2 s × 16 = 32 frames rounded up to 4k+1.
    expect(created).toMatchObject({
      object: 'video',
      status: 'queued',
      duration_seconds: 2,
      width: 832,
      height: 480,
      fps: 16,
      frames: 33,
      metadata: { sku: 'A-1' },
      output: null,
    });
    expect(created.id).toMatch(/^vid_[0-9a-z]{26}$/);

    const done = await waitForStatus(app, key, created.id, ['succeeded', 'failed']);
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    expect(done.output).toMatchObject({ width: 832, height: 480, fps: 16 });
    expect(done.output.duration_seconds).toBeCloseTo(2, 0);

    const content = await app.request(`/v1/videos/${created.id}/content`, { key });
    expect(content.status).toBe(302);
    const mp4 = Buffer.from(await (await fetch(content.headers.get('location')!)).arrayBuffer());
    expect(mp4.length).toBe(done.output.bytes);
    const dir = mkdtempSync(join(tmpdir(), 'leoma-e2e-'));
    writeFileSync(join(dir, 'v.mp4'), mp4);
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', join(dir, 'v.mp4')]).toString());
    const stream = probe.streams.find((s: { codec_type: string }) => s.codec_type === 'video');
    expect(stream).toMatchObject({ codec_name: 'h264', width: 832, height: 480, r_frame_rate: '16/1', nb_frames: '33' });
    expect(Number(probe.format.duration)).toBeCloseTo(2, 0);
  });

  it('accepts a multipart upload and an uploaded file id', async () => {
    const form = new FormData();
    form.set('prompt', 'pan across');
    form.set('duration_seconds', '1');
    form.set('aspect_ratio', '9:16');
    form.set('image', new Blob([makeImage('jpeg')], { type: 'image/jpeg' }), 'x.jpg');
    const multi = await app.request('/v1/videos', { method: 'POST', key, body: form });
    expect(multi.status).toBe(202);
    const mv = (await multi.json()) as Record<string, any>;
    expect(mv).toMatchObject({ width: 480, height: 832, input: { source: 'upload', content_type: 'image/jpeg' } });

    const fileForm = new FormData();
    fileForm.set('file', new Blob([makeImage('webp')], { type: 'image/webp' }), 'y.webp');
    const file = (await (await app.request('/v1/files', { method: 'POST', key, body: fileForm })).json()) as Record<string, any>;
    expect(file).toMatchObject({ object: 'file', content_type: 'image/webp', width: 320, height: 240 });
    const fromFile = await app.request('/v1/videos', {
      method: 'POST',
      key,
      json: { prompt: 'orbit', image: file.id, duration_seconds: 1, resolution: '720p', aspect_ratio: '16:9' },
    });
    expect(fromFile.status).toBe(202);
    const fv = (await fromFile.json()) as Record<string, any>;
    expect(fv.input).toMatchObject({ source: 'file', file_id: file.id });
    const [a, b] = await Promise.all([waitForStatus(app, key, mv.id, ['succeeded', 'failed']), waitForStatus(app, key, fv.id, ['succeeded', 'failed'])]);
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
    expect(b.output).toMatchObject({ width: 1280, height: 720 });
  });

  it('lists with cursors and filters by status', async () => {
    const all = (await (await app.request('/v1/videos?limit=2', { key })).json()) as Record<string, any>;
    expect(all).toMatchObject({ object: 'list', has_more: true });
    expect(all.data).toHaveLength(2);
    const next = (await (await app.request(`/v1/videos?limit=2&starting_after=${all.data[1].id}`, { key })).json()) as Record<string, any>;
    expect(next.data).toHaveLength(1);
    expect(next.has_more).toBe(false);
    const prev = (await (await app.request(`/v1/videos?limit=5&ending_before=${next.data[0].id}`, { key })).json()) as Record<string, any>;
    expect(prev.data.map((v: { id: string }) => v.id)).toEqual(all.data.map((v: { id: string }) => v.id));
    const succeeded = (await (await app.request('/v1/videos?status=succeeded', { key })).json()) as Record<string, any>;
    expect(succeeded.data).toHaveLength(3);
    const failed = (await (await app.request('/v1/videos?status=failed', { key })).json()) as Record<string, any>;
    expect(failed.data).toHaveLength(0);
  });
});
