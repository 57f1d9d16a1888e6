import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServedFiles, type ServedFiles } from '../support/served-files.js';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

// The customer's sound track (`audio_file`): uploaded with purpose=audio or given as a URL, fitted
// to the video's exact length, faded, normalised to -16 LUFS (EBU R128) and muxed as AAC.
const image = dataUri(makeImage('png', '416x240'));
const dir = mkdtempSync(join(tmpdir(), 'leoma-audio-test-'));
const TARGET_LUFS = -16;

/** A sine tone made by ffmpeg: `seconds` long, `db` below ffmpeg's default level, in the container `file`'s extension names. */
function tone(file: string, seconds: number, hz: number, db: number, extra: string[] = []): Buffer {
  const path = join(dir, file);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${hz}:duration=${seconds}`, '-af', `volume=${db}dB`, ...extra, path]);
  return readFileSync(path);
}

const probe = (file: string) =>
  JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', file]).toString()) as { streams: Record<string, any>[] };

/** Integrated loudness of a file's audio as ffmpeg's EBU R128 meter (`ebur128`) measures it. */
function integratedLufs(file: string): number {
  const out = spawnSync('ffmpeg', ['-nostdin', '-v', 'info', '-i', file, '-map', '0:a', '-af', 'ebur128', '-f', 'null', '-'], { encoding: 'utf8' }).stderr;
  return Number(/Integrated loudness:\s+I:\s+(-?[\d.]+) LUFS/.exec(out)?.[1] ?? 'NaN');
}

let app: TestApp;
let files: ServedFiles;

beforeAll(async () => {
  // The URL path needs a server to fetch from, and CI has no public host: loopback plays the Internet here.
  app = await startTestApp({ worker: true, env: { ALLOW_PRIVATE_IMAGE_URLS: 'true', AUDIO_MAX_SECONDS: '30' } });
  files = await startServedFiles();
});
afterAll(async () => {
  await app?.close();
  files?.close();
});

async function uploadAudio(key: string, bytes: Buffer, name: string): Promise<Response> {
  const form = new FormData();
  form.set('purpose', 'audio');
  form.set('file', new Blob([bytes]), name);
  return app.request('/v1/files', { method: 'POST', key, body: form });
}

async function downloadVideo(key: string, id: string): Promise<string> {
  const content = await app.request(`/v1/videos/${id}/content`, { key });
  expect(content.status).toBe(302);
  const file = join(dir, `${id}.mp4`);
  writeFileSync(file, Buffer.from(await (await fetch(content.headers.get('location')!)).arrayBuffer()));
  return file;
}

describe('a customer sound track on a video', () => {
  it('loops a short quiet mp3 and cuts a long loud wav to the video exactly, at -16 LUFS ±1, priced as estimated', async () => {
    const { key } = await app.tenant({ limits: { included_video_seconds: 0 } });
    // 0.7 s at about -45 LUFS: looped three times over a 2.06 s video, and raised by ~29 LU.
    const short = await uploadAudio(key, tone('short.mp3', 0.7, 440, -25, ['-c:a', 'libmp3lame']), 'jingle.mp3');
    expect(short.status).toBe(201);
    const shortFile = (await short.json()) as Record<string, any>;
    expect(shortFile).toMatchObject({ object: 'file', purpose: 'audio', content_type: 'audio/mpeg', width: null, filename: 'jingle.mp3' });
    // 20 s at about -9 LUFS, served at a URL: cut to the video and lowered.
    files.served.set('/theme.wav', tone('long.wav', 20, 330, 12, ['-ac', '2']));

    const ask = { prompt: 'a mug', duration_seconds: 2 };
    for (const [audio_file, source] of [
      [shortFile.id as string, 'file'],
      [`${files.base}/theme.wav`, 'url'],
    ] as const) {
      const estimate = (await (await app.request('/v1/videos/estimate', { method: 'POST', key, json: { ...ask, audio_file } })).json()) as Record<string, any>;
      // 2 s of video and ⌈0.1 × 2⌉ = 1 for the sound track.
      expect(estimate).toMatchObject({ duration_seconds: 2, post_production_seconds: 1, refused: null, cost: { amount: 3, overage_seconds: 3 } });
      const res = await app.request('/v1/videos', { method: 'POST', key, json: { ...ask, image, audio_file } });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      const done = await waitForStatus(app, key, id, ['succeeded', 'failed']);
      expect(done.error).toBeNull();
      const step = { name: 'audio', source, method: 'ebu_r128', fade_seconds: 0.5, loudness_lufs: TARGET_LUFS };
      expect(done.output.steps).toEqual([source === 'file' ? { ...step, file_id: audio_file } : { ...step, url: audio_file }]);
      expect(done.provenance.steps).toEqual(done.output.steps);
      expect(done.cost).toMatchObject({ amount: estimate.cost.amount, post_production_seconds: 1 });
      const [usage] = await app.sql('select video_seconds, amount_minor from usage_records where video_id = $1', [id]);
      expect(usage).toEqual({ video_seconds: 3, amount_minor: estimate.cost.amount });

      const file = await downloadVideo(key, id);
      const streams = probe(file).streams;
      const [video, audio] = [streams.find((s) => s.codec_type === 'video')!, streams.find((s) => s.codec_type === 'audio')!];
      // 33 frames at 16 fps: 2.0625 s; the track as long to within one AAC frame (1024 samples at 48 kHz).
      expect(Number(video.duration)).toBeCloseTo(33 / 16, 3);
      expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
      expect(Math.abs(Number(audio.duration) - Number(video.duration)), source).toBeLessThan(1024 / 48000 + 0.001);
      expect(Math.abs(integratedLufs(file) - TARGET_LUFS), source).toBeLessThanOrEqual(1);
    }
  });
});

describe('sound tracks refused', () => {
  it('refuses what is not audio, too long, or at a private address, with stable codes, before any video exists', async () => {
    const { key, tenantId } = await app.tenant();
    const post = (json: Record<string, unknown>) =>
      app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1, ...json } });
    const expectProblem = async (res: Response, status: number, code: string, param: string) => {
      expect(res.status, code).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ code, errors: [{ param, code }] });
    };
    // An image (or a video) uploaded as a sound track: refused by its bytes, not its name.
    await expectProblem(await uploadAudio(key, makeImage('png', '64x64'), 'song.mp3'), 415, 'audio_unsupported_type', 'file');
    // An M4A's header on garbage: the type passes, ffprobe does not (no movie box).
    const m4a = tone('header.m4a', 1, 440, 0, ['-c:a', 'aac']);
    await expectProblem(await uploadAudio(key, Buffer.concat([m4a.subarray(0, 32), Buffer.alloc(4096, 7)]), 'broken.m4a'), 422, 'audio_invalid', 'file');
    // Over AUDIO_MAX_SECONDS (30 here): 31 s.
    await expectProblem(await uploadAudio(key, tone('too-long.wav', 31, 100, 0, ['-ar', '8000']), 'long.wav'), 422, 'audio_too_long', 'file');
    // An image file used as a sound track.
    const png = new FormData();
    png.set('file', new Blob([makeImage('png', '64x64')]), 'a.png');
    const imageFile = (await (await app.request('/v1/files', { method: 'POST', key, body: png })).json()) as { id: string };
    await expectProblem(await post({ audio_file: imageFile.id }), 422, 'audio_file_not_usable', 'audio_file');
    await expectProblem(await post({ audio_file: 'file_nope' }), 404, 'file_not_found', 'audio_file');
    await expectProblem(await post({ audio_file: 'ftp://example.com/a.mp3' }), 422, 'audio_url_invalid', 'audio_file');
    files.served.set('/not-audio.mp3', makeImage('png', '64x64'));
    await expectProblem(await post({ audio_file: `${files.base}/not-audio.mp3` }), 415, 'audio_unsupported_type', 'audio_file');
    await expectProblem(await post({ audio_file: `${files.base}/missing.mp3` }), 422, 'audio_fetch_failed', 'audio_file');
    const both = await post({ audio_file: imageFile.id, audio: 'silent' });
    expect(both.status).toBe(400);
    expect(await both.json()).toMatchObject({ code: 'validation_failed', suggestion: { param: 'audio', omit: true } });
    expect(await app.sql('select id from videos where tenant_id = $1', [tenantId])).toEqual([]);
  });

  it('fetches a URL from public addresses only, as production does', async () => {
    // Another API (no worker) with the production policy: https only, and no private address on any hop.
    const prod = await startTestApp({});
    try {
      const { key } = await prod.tenant();
      const post = (audio_file: string) => prod.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1, audio_file } });
      for (const url of ['https://127.0.0.1/a.mp3', 'https://localhost/a.mp3', 'https://10.1.2.3/a.mp3', 'https://169.254.169.254/latest/a.wav']) {
        const res = await post(url);
        expect(res.status, url).toBe(422);
        expect(await res.json()).toMatchObject({ code: 'audio_url_forbidden', errors: [{ param: 'audio_file', code: 'audio_url_forbidden' }] });
      }
      const plain = await post(`${files.base}/theme.wav`);
      expect(plain.status).toBe(422);
      expect(await plain.json()).toMatchObject({ code: 'audio_url_invalid' });
      const estimate = await prod.request('/v1/videos/estimate', { method: 'POST', key, json: { prompt: 'p', audio_file: 'nope' } });
      expect(estimate.status).toBe(422);
      expect(await estimate.json()).toMatchObject({ code: 'audio_url_invalid' });
    } finally {
      await prod.close();
    }
  });
});
