import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';
import { FilesService } from '../../src/files/index.js';

// The run is 500 images: UPLOAD_TEST_FILES=500 npx vitest run test/files/presigned-uploads.e2e.test.ts.
// CI puts a few dozen through the same path.
const FILES = Number(process.env.UPLOAD_TEST_FILES ?? 24);

let app: TestApp;
const png = makeImage('png');
const jpeg = makeImage('jpeg', '640x480');

type Json = Record<string, any>;

beforeAll(async () => {
  // Sound tracks of at most 3 s here, so an over-long one is quick to make.
  app = await startTestApp({ env: { AUDIO_MAX_SECONDS: '3' } });
});
afterAll(() => app?.close());

const askUploads = (key: string, files: Json[]) => app.request('/v1/files/uploads', { method: 'POST', key, json: { files } });
const put = (upload: Json, body: Buffer, contentType = upload.upload_headers['Content-Type']) =>
  fetch(upload.upload_url, { method: 'PUT', body, headers: { 'Content-Type': contentType } });
const complete = (key: string, id: string) => app.request(`/v1/files/${id}/complete`, { method: 'POST', key });

/** Runs `task` over `items`, `n` at a time. */
async function eachLimited<T>(items: T[], n: number, task: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i]!, i);
      }
    }),
  );
}

describe('presigned uploads', () => {
  it(`puts ${FILES} images straight into storage; each is checked when completed and is then usable`, async () => {
    const { key } = await app.tenant();
    const specs = Array.from({ length: FILES }, (_, i) =>
      i % 2
        ? { filename: `sku-${i}.jpg`, content_type: 'image/jpeg', bytes: jpeg.length }
        : { filename: `sku-${i}.png`, content_type: 'image/png', bytes: png.length },
    );
    const res = await askUploads(key, specs);
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(201);
    expect(body.data).toHaveLength(FILES);
    expect(body.data[0]).toMatchObject({ object: 'file', status: 'pending', width: null, sha256: null, upload_method: 'PUT', filename: 'sku-0.png' });
    expect(new Date(body.data[0].upload_expires_at).getTime()).toBeGreaterThan(Date.now());

    // Pending files are not usable yet.
    const early = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: body.data[0].id, duration_seconds: 1 } });
    expect([early.status, ((await early.json()) as Json).code]).toEqual([409, 'file_upload_incomplete']);
    expect(((await (await complete(key, body.data[0].id)).json()) as Json).code).toBe('file_upload_incomplete');

    await eachLimited(body.data as Json[], 8, async (upload, i) => {
      expect((await put(upload, i % 2 ? jpeg : png)).status, `PUT ${i}`).toBe(200);
      const done = await complete(key, upload.id);
      const file = (await done.json()) as Json;
      expect(done.status, JSON.stringify(file)).toBe(200);
      expect(file).toMatchObject(
        i % 2
          ? { status: 'ready', content_type: 'image/jpeg', width: 640, height: 480, bytes: jpeg.length, upload_expires_at: null }
          : { status: 'ready', content_type: 'image/png', width: 320, height: 240, bytes: png.length },
      );
    });
    // Completing again answers the file as it is.
    expect((await complete(key, body.data[1].id)).status).toBe(200);
    const video = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: body.data[1].id, duration_seconds: 1 } });
    expect(video.status).toBe(202);
    expect(((await video.json()) as Json).input).toMatchObject({ source: 'file', file_id: body.data[1].id, width: 640, height: 480 });
  });

  it('refuses what is not an image (the object is deleted, the URL still works), a wrong length, and uploads over the plan', async () => {
    const { key } = await app.tenant({ limits: { uploads_per_day: 3 } });
    const [upload] = ((await (await askUploads(key, [{ content_type: 'image/png', bytes: png.length }])).json()) as Json).data;
    // A body of another length than the declared one: S3 refuses the PUT (the length is signed), and
    // where a store takes it (s3rver does), completion refuses it.
    if ((await put(upload, Buffer.concat([png, png]))).ok) {
      const mismatch = await complete(key, upload.id);
      expect([mismatch.status, ((await mismatch.json()) as Json).code]).toEqual([422, 'file_upload_size_mismatch']);
    }
    const fake = Buffer.alloc(png.length, 'not an image ');
    expect((await put(upload, fake)).status).toBe(200);
    const refused = await complete(key, upload.id);
    expect([refused.status, ((await refused.json()) as Json).code]).toEqual([415, 'image_unsupported_type']);
    expect((await (await app.request(`/v1/files/${upload.id}`, { key })).json()) as Json).toMatchObject({ status: 'pending' });
    expect((await put(upload, png)).status).toBe(200);
    expect(((await (await complete(key, upload.id)).json()) as Json).status).toBe('ready');

    // 1 used of 3: asking for 3 more is refused whole, and nothing is made.
    const over = await askUploads(
      key,
      [1, 2, 3].map(() => ({ content_type: 'image/png', bytes: 10 })),
    );
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({ code: 'file_upload_limit_reached', period: 'day', limit: 3, used: 1 });
    const tooBig = await askUploads(key, [{ content_type: 'image/png', bytes: 500 * 1024 * 1024 }]);
    expect([tooBig.status, ((await tooBig.json()) as Json).code]).toEqual([413, 'image_too_large']);
    const badType = await askUploads(key, [{ content_type: 'image/gif', bytes: 10 }]);
    expect(badType.status).toBe(400);
    expect((await app.sql('select count(*)::int as n from files where tenant_id = (select tenant_id from files where id = $1)', [upload.id]))[0]!.n).toBe(1);
  });

  it('an upload never completed expires with its URL: whatever was put is deleted and completing it is 410', async () => {
    const { key } = await app.tenant();
    const [upload] = ((await (await askUploads(key, [{ content_type: 'image/png', bytes: png.length }])).json()) as Json).data;
    expect((await put(upload, png)).status).toBe(200);
    const files = app.api.get(FilesService);
    expect(await files.expireDue(new Date(), 100)).toBe(0);
    expect(await files.expireDue(new Date(Date.now() + 2 * 3_600_000), 100)).toBeGreaterThanOrEqual(1);
    const [row] = await app.sql('select expired_at, storage_key from files where id = $1', [upload.id]);
    expect(row!.expired_at).not.toBeNull();
    expect((await put(upload, png)).status).toBe(200); // the URL itself still works for its hour; the file does not
    const late = await complete(key, upload.id);
    expect([late.status, ((await late.json()) as Json).code]).toEqual([410, 'file_upload_expired']);
  });

  // Last: its 1,000 pending uploads would be due in the expiry test's sweep above.
  it('asks for as many uploads as one request allows (1,000), each with a name as long as a file may have, in one body', async () => {
    const { key } = await app.tenant({ limits: { uploads_per_day: 2_000, uploads_per_month: 2_000 } });
    // 1,000 entries of 255-character names: a body of about 330 KB, past the 64 KiB default cap.
    const specs = Array.from({ length: 1_000 }, (_, i) => ({
      filename: `${'catalogue/'.repeat(24)}sku-${String(i).padStart(6, '0')}.jpg`.slice(-255),
      content_type: 'image/jpeg',
      bytes: jpeg.length,
    }));
    const res = await askUploads(key, specs);
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(201);
    expect(body.data).toHaveLength(1_000);
    expect(body.data[999].filename).toBe(specs[999]!.filename);
    // One more than a request may ask for is refused by its count, not its size.
    const over = await askUploads(key, [...specs, specs[0]!]);
    const refused = (await over.json()) as Json;
    expect([over.status, refused.code, refused.errors?.[0]?.code]).toEqual([400, 'validation_failed', 'too_many']);
  });
});

const audioDir = mkdtempSync(join(tmpdir(), 'leoma-presigned-audio-'));
/** A sine tone made by ffmpeg, `seconds` long, in the container its file name says. */
function tone(file: string, seconds: number): Buffer {
  const path = join(audioDir, file);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, path]);
  return readFileSync(path);
}

describe('presigned sound tracks (purpose audio)', () => {
  it('checks a completed track as a direct audio upload is checked, refuses a non-audio or oversize one with a clear 4xx, and the ready track is usable as audio_file', async () => {
    const { key } = await app.tenant();
    const mp3 = tone('jingle.mp3', 1);
    const long = tone('long.wav', 4);
    const res = await askUploads(key, [
      { filename: 'jingle.mp3', purpose: 'audio', content_type: 'audio/mpeg', bytes: mp3.length },
      { filename: 'fake.mp3', purpose: 'audio', content_type: 'audio/mpeg', bytes: png.length },
      { filename: 'long.wav', purpose: 'audio', content_type: 'audio/wav', bytes: long.length },
    ]);
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(201);
    expect(body.data.map((f: Json) => [f.purpose, f.status, f.upload_headers['Content-Type']])).toEqual([
      ['audio', 'pending', 'audio/mpeg'],
      ['audio', 'pending', 'audio/mpeg'],
      ['audio', 'pending', 'audio/wav'],
    ]);
    const [track, fake, tooLong] = body.data as Json[];

    expect((await put(track!, mp3)).status).toBe(200);
    const done = await complete(key, track!.id);
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ id: track!.id, purpose: 'audio', status: 'ready', content_type: 'audio/mpeg', bytes: mp3.length, width: null });

    // Bytes that are not audio: 415, the object deleted, the file still pending.
    expect((await put(fake!, png)).status).toBe(200);
    const notAudio = await complete(key, fake!.id);
    expect(notAudio.status).toBe(415);
    expect(await notAudio.json()).toMatchObject({ code: 'audio_unsupported_type', errors: [{ param: 'file', code: 'audio_unsupported_type' }] });
    expect(((await (await app.request(`/v1/files/${fake!.id}`, { key })).json()) as Json).status).toBe('pending');
    // Longer than AUDIO_MAX_SECONDS, found by ffprobe.
    expect((await put(tooLong!, long)).status).toBe(200);
    const overLength = await complete(key, tooLong!.id);
    expect(overLength.status).toBe(422);
    expect(((await overLength.json()) as Json).code).toBe('audio_too_long');

    // Over AUDIO_MAX_BYTES, or a type that is not its purpose's: refused before any URL is handed out.
    const big = await askUploads(key, [{ purpose: 'audio', content_type: 'audio/wav', bytes: 50 * 1024 * 1024 + 1 }]);
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'audio_too_large', errors: [{ param: 'files[0].bytes', code: 'audio_too_large' }] });
    for (const spec of [
      { purpose: 'audio', content_type: 'image/png', bytes: 10 },
      { content_type: 'audio/mpeg', bytes: 10 },
      { purpose: 'batch', content_type: 'audio/mpeg', bytes: 10 },
    ]) {
      const bad = await askUploads(key, [spec]);
      expect(bad.status, JSON.stringify(spec)).toBeGreaterThanOrEqual(400);
      expect(bad.status, JSON.stringify(spec)).toBeLessThan(500);
      expect(((await bad.json()) as Json).code, JSON.stringify(spec)).toBe('validation_failed');
    }

    // The ready track is a sound track a video takes; the refused one is not usable.
    const image = makeImage('png', '416x240');
    const form = new FormData();
    form.set('file', new Blob([image]), 'mug.png');
    const imageId = ((await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as Json).id;
    const video = await app.request('/v1/videos', {
      method: 'POST',
      key,
      json: { prompt: 'a mug', image: imageId, duration_seconds: 1, audio_file: track!.id },
    });
    expect(video.status, await video.clone().text()).toBe(202);
    const [planned] = await app.sql('select post_production from videos where id = $1', [((await video.json()) as Json).id]);
    expect(planned.post_production.steps).toContainEqual(expect.objectContaining({ name: 'audio', source: 'file', file_id: track!.id }));
    expect(planned.post_production.audio_input).toMatchObject({ source: 'file', content_type: 'audio/mpeg', bytes: mp3.length });
    const refused = await app.request('/v1/videos', {
      method: 'POST',
      key,
      json: { prompt: 'a mug', image: imageId, duration_seconds: 1, audio_file: fake!.id },
    });
    expect([refused.status, ((await refused.json()) as Json).code]).toEqual([409, 'file_upload_incomplete']);
  });
});
