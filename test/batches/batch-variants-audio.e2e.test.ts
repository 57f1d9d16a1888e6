import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { startServedFiles, type ServedFiles } from '../support/served-files.js';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

// `n` and `audio_file` on batch rows (CSV and JSONL): a row with `n` is n videos of one group, each
// with its own seed, counted by every limit and listed one per line in the manifest; a row's sound
// track is checked at creation with the codes of POST /v1/videos and priced as that video alone.

// The reference model rendering 1 s clips (17 frames at 16 fps): quick renders.
const SHORT_CLIPS = {
  model: 'leoma/reference-i2v',
  sizes: { '480p': { '16:9': { width: 832, height: 480 }, '9:16': { width: 480, height: 832 } } },
  fps: 16,
  frames: { min: 17, max: 17, step: 4, offset: 1 },
  max_prompt_chars: 2000,
  honours: { seed: true, negative_prompt: true, camera: true },
};
/** Render time the feasibility check assumes before any render has finished (QUEUE_ETA_FALLBACK_SECONDS). */
const RENDER_S = 60;

const image = dataUri(makeImage('png', '416x240'));
const dir = mkdtempSync(join(tmpdir(), 'leoma-batch-audio-'));
let app: TestApp;
let files: ServedFiles;

function tone(file: string, seconds: number): Buffer {
  const path = join(dir, file);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, path]);
  return readFileSync(path);
}

beforeAll(async () => {
  // Audio URLs need a server to fetch from, and CI has no public host: loopback plays the Internet here.
  app = await startTestApp({
    worker: true,
    env: { BATCH_SCHEDULE_INTERVAL_MS: '50', QUEUE_ETA_FALLBACK_SECONDS: String(RENDER_S), ALLOW_PRIVATE_IMAGE_URLS: 'true' },
  });
  expect((await app.request('/v1/admin/model-capabilities', { method: 'PUT', key: app.operatorKey, json: SHORT_CLIPS })).status).toBe(201);
  files = await startServedFiles();
});
afterAll(async () => {
  await app?.close();
  files?.close();
});

type Json = Record<string, any>;

async function batchItems(key: string, batchId: string): Promise<Json[]> {
  return ((await (await app.request(`/v1/videos?batch_id=${batchId}&limit=100`, { key })).json()) as { data: Json[] }).data;
}

async function batchDone(key: string, batchId: string): Promise<Json> {
  for (;;) {
    const b = (await (await app.request(`/v1/batches/${batchId}`, { key })).json()) as Json;
    if (['completed', 'failed', 'canceled', 'expired'].includes(b.status)) return b;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function unzipNames(buf: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function uploadCsv(key: string, csv: string): Promise<Response> {
  const form = new FormData();
  form.set('file', new Blob([csv]), 'rows.csv');
  return app.request('/v1/batches', { method: 'POST', key, body: form });
}

describe('variants (`n`) on batch rows', () => {
  // First in the file: before any render has finished, the feasibility check assumes RENDER_S per render.
  it('counts all n videos of a row in complete_by feasibility, the plan quota and max_batch_size', async () => {
    const { key } = await app.tenant({ limits: { concurrent_videos: 1 } });
    // One slot: one video needs 60 s, four need 240 s; 150 s from now fits one, not four.
    const completeBy = new Date(Date.now() + 150_000).toISOString();
    const four = await app.request('/v1/batches', {
      method: 'POST',
      key,
      json: { complete_by: completeBy, items: [{ custom_id: 'a', image, prompt: 'p', duration_seconds: 1, n: 4 }] },
    });
    expect(four.status, await four.clone().text()).toBe(422);
    expect(await four.json()).toMatchObject({ code: 'complete_by_infeasible', estimate: { items: 4, videos_ahead: 0, concurrent_videos: 1 } });

    // Included seconds: 3 left, a row of 1 s × n 4 needs 4; the same row with n 3 fits.
    const quota = await app.tenant({ limits: { included_video_seconds: 3, overage_allowed: false } });
    const over = await app.request('/v1/batches', {
      method: 'POST',
      key: quota.key,
      json: { items: [{ custom_id: 'a', image, prompt: 'p', duration_seconds: 1, n: 4 }] },
    });
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({ code: 'quota_exceeded', requested: 4 });
    // max_batch_size counts videos: 2 rows × n 2 is 4 videos, over a plan of 3.
    const small = await app.tenant({ limits: { max_batch_size: 3 } });
    const big = await app.request('/v1/batches', {
      method: 'POST',
      key: small.key,
      json: {
        items: [
          { custom_id: 'a', image, prompt: 'p', duration_seconds: 1, n: 2 },
          { custom_id: 'b', image, prompt: 'p', duration_seconds: 1, n: 2 },
        ],
      },
    });
    expect(big.status).toBe(422);
    expect(await big.json()).toMatchObject({ code: 'batch_too_large', max_items: 3 });
    // Nothing of a refused batch was written or reserved.
    for (const t of [key, quota.key, small.key]) expect(((await (await app.request('/v1/videos', { key: t })).json()) as { data: unknown[] }).data).toEqual([]);
  });

  it('refuses a bad n per row in the batch format, before anything is charged', async () => {
    const { key } = await app.tenant();
    const res = await app.request('/v1/batches', {
      method: 'POST',
      key,
      json: {
        items: [
          { custom_id: 'zero', image, prompt: 'p', duration_seconds: 1, n: 0 },
          { custom_id: 'five', image, prompt: 'p', duration_seconds: 1, n: 5 },
          { custom_id: 'half', image, prompt: 'p', duration_seconds: 1, n: 1.5 },
          { custom_id: 'word', image, prompt: 'p', duration_seconds: 1, n: 'two' },
          { custom_id: 'fine', image, prompt: 'p', duration_seconds: 1, n: 2 },
        ],
      },
    });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as Json;
    expect(problem).toMatchObject({ code: 'batch_invalid_rows', rejected_count: 4 });
    expect(problem.rows.map((r: Json) => [r.custom_id, r.errors.map((e: Json) => `${e.param}:${e.code}`)])).toEqual([
      ['zero', ['n:invalid_value']],
      ['five', ['n:invalid_value']],
      ['half', ['n:invalid_value']],
      ['word', ['n:invalid_value']],
    ]);
    // A data URI holds a comma: CSV rows name an https image here.
    const csv = await uploadCsv(key, ['custom_id,image,prompt,duration_seconds,n', 'x,https://example.com/a.png,p,1,9'].join('\n'));
    expect(csv.status).toBe(422);
    expect(((await csv.json()) as Json).rows[0].errors).toEqual([{ param: 'n', code: 'invalid_value', message: 'must be an integer from 1 to 4' }]);
    expect(((await (await app.request('/v1/videos', { key })).json()) as { data: unknown[] }).data).toEqual([]);
  });

  it('makes n videos of a row (JSONL and CSV) sharing a group_id, each its own seed, charged each, one manifest line and one download name each', async () => {
    const { key } = await app.tenant({ limits: { included_video_seconds: 0 } });
    const form = new FormData();
    form.set('file', new Blob([makeImage('png', '416x240')]), 'mug.png');
    const fileId = ((await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as { id: string }).id;
    const jsonl = [
      { custom_id: 'mug', image: fileId, prompt: 'a mug', duration_seconds: 1, n: 3, seed: 7 },
      { custom_id: 'cup', image: fileId, prompt: 'a cup', duration_seconds: 1 },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const upload = new FormData();
    upload.set('file', new Blob([jsonl]), 'rows.jsonl');
    const res = await app.request('/v1/batches', { method: 'POST', key, body: upload });
    expect(res.status, await res.clone().text()).toBe(202);
    const batch = (await res.json()) as Json;
    expect(batch.request_counts.total).toBe(4);
    const csvRes = await uploadCsv(key, ['custom_id,image,prompt,duration_seconds,n', `sku,${fileId},a vase,1,2`].join('\n'));
    expect(csvRes.status, await csvRes.clone().text()).toBe(202);
    const csvBatch = (await csvRes.json()) as Json;
    expect(csvBatch.request_counts.total).toBe(2);

    const items = await batchItems(key, batch.id);
    const mugs = items.filter((v) => v.custom_id === 'mug');
    expect(mugs).toHaveLength(3);
    expect(new Set(mugs.map((v) => v.group_id)).size).toBe(1);
    expect(mugs[0].group_id).toMatch(/^vgr_/);
    expect(mugs.map((v) => v.seed).sort()).toEqual([7, 8, 9]);
    const cup = items.find((v) => v.custom_id === 'cup')!;
    expect(cup.group_id).toBeNull();
    // A row without a seed gets one drawn, so the take can be made again.
    expect(cup.seed).toEqual(expect.any(Number));
    const skus = await batchItems(key, csvBatch.id);
    expect(skus).toHaveLength(2);
    expect(skus[0].group_id).toBe(skus[1].group_id);
    expect(skus[0].group_id).not.toBeNull();
    expect(skus[0].seed).not.toBe(skus[1].seed);
    // Listed by their group as variants of one request are.
    const group = ((await (await app.request(`/v1/videos?group_id=${mugs[0].group_id}`, { key })).json()) as { data: Json[] }).data;
    expect(group.map((v) => v.id).sort()).toEqual(mugs.map((v) => v.id).sort());

    expect(await batchDone(key, batch.id)).toMatchObject({ status: 'completed', request_counts: { total: 4, succeeded: 4 } });
    expect(await batchDone(key, csvBatch.id)).toMatchObject({ status: 'completed', request_counts: { total: 2, succeeded: 2 } });

    // Charged each, as the estimate of the same rows (`n` 3 and a single) says.
    const estimate = (await (
      await app.request('/v1/videos/estimate/batch', {
        method: 'POST',
        key,
        json: {
          videos: [
            { prompt: 'a mug', duration_seconds: 1, n: 3 },
            { prompt: 'a cup', duration_seconds: 1 },
          ],
        },
      })
    ).json()) as Json;
    const done = await Promise.all(items.map((v) => waitForStatus(app, key, v.id, ['succeeded'])));
    expect(done.reduce((s, v) => s + v.cost.amount, 0)).toBe(estimate.total.amount);
    expect(estimate.total.video_seconds).toBe(4);
    const [usage] = await app.sql('select count(*)::int as n, sum(amount_minor)::int as amount from usage_records where video_id = any($1)', [
      items.map((v) => v.id),
    ]);
    expect(usage).toEqual({ n: 4, amount: estimate.total.amount });

    // The manifest: one line per video, in row order, the row's custom_id with its variant index.
    const manifest = (await (await app.request(`/v1/batches/${batch.id}/results`, { key })).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Json);
    expect(manifest.map((r) => [r.custom_id, r.variant_index, r.status])).toEqual([
      ['mug', 1, 'succeeded'],
      ['mug', 2, 'succeeded'],
      ['mug', 3, 'succeeded'],
      ['cup', null, 'succeeded'],
    ]);
    expect(new Set(manifest.map((r) => r.video_id)).size).toBe(4);
    const csvManifest = await (await app.request(`/v1/batches/${csvBatch.id}/results?format=csv`, { key })).text();
    expect(csvManifest.split('\n')[0]).toBe('custom_id,variant_index,video_id,status,content_url,duration_seconds,error_code,error_message');
    expect(csvManifest).toMatch(/\nsku,1,/);
    expect(csvManifest).toMatch(/\nsku,2,/);

    // Download names stay unique: <custom_id>-<k>.mp4 for a row's variants.
    const second = manifest[1]!;
    const redirect = await app.request(`/v1/videos/${second.video_id}/content`, { key, redirect: 'manual' });
    expect(decodeURIComponent(redirect.headers.get('location')!)).toContain('filename="mug-2.mp4"');
    const zip = await app.request(`/v1/batches/${batch.id}/archive`, { key });
    expect(zip.status).toBe(200);
    const names = (await unzipNames(Buffer.from(await zip.arrayBuffer()))).filter((n) => n.endsWith('.mp4')).sort();
    expect(names).toEqual(['cup.mp4', 'mug-1.mp4', 'mug-2.mp4', 'mug-3.mp4']);
  });
});

describe('a sound track (`audio_file`) on batch rows', () => {
  it('takes a file_ of purpose audio or a URL, refuses the rest per row with the codes of a single video, and charges as estimated', async () => {
    const { key } = await app.tenant({ limits: { included_video_seconds: 0 } });
    const audioForm = new FormData();
    audioForm.set('purpose', 'audio');
    audioForm.set('file', new Blob([tone('jingle.mp3', 0.7)]), 'jingle.mp3');
    const track = (await (await app.request('/v1/files', { method: 'POST', key, body: audioForm })).json()) as Json;
    expect(track).toMatchObject({ purpose: 'audio', status: 'ready' });
    const imageForm = new FormData();
    imageForm.set('file', new Blob([makeImage('png', '416x240')]), 'mug.png');
    const imageFile = ((await (await app.request('/v1/files', { method: 'POST', key, body: imageForm })).json()) as Json).id as string;
    const other = await app.tenant();
    const foreignForm = new FormData();
    foreignForm.set('purpose', 'audio');
    foreignForm.set('file', new Blob([tone('other.mp3', 0.7)]), 'other.mp3');
    const foreign = ((await (await app.request('/v1/files', { method: 'POST', key: other.key, body: foreignForm })).json()) as Json).id as string;
    // The same track through a presigned PUT: stored under a key without an extension, muxed all the same.
    const mp3 = tone('presigned.mp3', 0.7);
    const ask = (await (
      await app.request('/v1/files/uploads', { method: 'POST', key, json: { files: [{ purpose: 'audio', content_type: 'audio/mpeg', bytes: mp3.length }] } })
    ).json()) as Json;
    const upload = ask.data[0] as Json;
    expect((await fetch(upload.upload_url, { method: 'PUT', body: mp3, headers: upload.upload_headers })).status).toBe(200);
    expect(((await (await app.request(`/v1/files/${upload.id}/complete`, { method: 'POST', key })).json()) as Json).status).toBe('ready');
    files.served.set('/theme.wav', tone('theme.wav', 3));
    files.served.set('/not-audio.wav', makeImage('png', '64x64'));

    const row = (custom_id: string, extra: Json) => JSON.stringify({ custom_id, image, prompt: 'a mug', duration_seconds: 1, ...extra });
    const jsonl = [
      row('file', { audio_file: track.id }),
      row('url', { audio_file: `${files.base}/theme.wav` }),
      row('presigned', { audio_file: upload.id }),
      row('image-file', { audio_file: imageFile }),
      row('foreign', { audio_file: foreign }),
      row('missing', { audio_file: 'file_nope' }),
      row('not-audio', { audio_file: `${files.base}/not-audio.wav` }),
      row('gone', { audio_file: `${files.base}/gone.mp3` }),
      row('ftp', { audio_file: 'ftp://example.com/a.mp3' }),
      row('both', { audio_file: track.id, audio: 'silent' }),
    ].join('\n');
    const rows = new FormData();
    rows.set('file', new Blob([jsonl]), 'rows.jsonl');
    rows.set('on_invalid', 'skip');
    const res = await app.request('/v1/batches', { method: 'POST', key, body: rows });
    expect(res.status, await res.clone().text()).toBe(202);
    const batch = (await res.json()) as Json;
    expect(batch.request_counts.total).toBe(3);
    expect(batch.rejected_rows.map((r: Json) => [r.custom_id, r.errors.map((e: Json) => `${e.param}:${e.code}`)])).toEqual([
      ['image-file', ['audio_file:audio_file_not_usable']],
      ['foreign', ['audio_file:file_not_found']],
      ['missing', ['audio_file:file_not_found']],
      ['not-audio', ['audio_file:audio_unsupported_type']],
      ['gone', ['audio_file:audio_fetch_failed']],
      ['ftp', ['audio_file:audio_url_invalid']],
      ['both', ['audio:invalid']],
    ]);

    // A CSV row names its track the same way.
    const csv = await uploadCsv(key, ['custom_id,image,prompt,duration_seconds,audio_file', `csv,${imageFile},a mug,1,${track.id}`].join('\n'));
    expect(csv.status, await csv.clone().text()).toBe(202);
    const csvBatch = (await csv.json()) as Json;

    const items = [...(await batchItems(key, batch.id)), ...(await batchItems(key, csvBatch.id))];
    const estimate = (await (
      await app.request('/v1/videos/estimate', { method: 'POST', key, json: { prompt: 'a mug', duration_seconds: 1, audio_file: track.id } })
    ).json()) as Json;
    expect(estimate.post_production_seconds).toBe(1);
    for (const v of items) {
      const done = await waitForStatus(app, key, v.id, ['succeeded', 'failed']);
      expect(done.error, v.custom_id).toBeNull();
      const source = v.custom_id === 'url' ? 'url' : 'file';
      expect(done.output.steps, v.custom_id).toEqual([expect.objectContaining({ name: 'audio', source, method: 'ebu_r128' })]);
      expect(done.cost.amount, v.custom_id).toBe(estimate.cost.amount);
      expect(done.cost.post_production_seconds, v.custom_id).toBe(1);
      const content = await app.request(`/v1/videos/${v.id}/content`, { key, redirect: 'manual' });
      const file = join(dir, `${v.id}.mp4`);
      writeFileSync(file, Buffer.from(await (await fetch(content.headers.get('location')!)).arrayBuffer()));
      const streams = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', file]).toString()).streams as Json[];
      expect(streams.map((s) => s.codec_name).sort(), v.custom_id).toEqual(['aac', 'h264']);
    }
  });
});
