import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StorageService } from '../../src/platform/storage/storage.service.js';
import { startServedFiles, type ServedFiles } from '../support/served-files.js';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

// Paths of batch rows no other test walks: retry-failed on rows of several variants (`n`), a sound
// track from a URL shared by several videos deleted one by one, and a row naming an expired `file_`.

// The reference model rendering 1 s clips (17 frames at 16 fps): quick renders.
const SHORT_CLIPS = {
  model: 'leoma/reference-i2v',
  sizes: { '480p': { '16:9': { width: 832, height: 480 }, '9:16': { width: 480, height: 832 } } },
  fps: 16,
  frames: { min: 17, max: 17, step: 4, offset: 1 },
  max_prompt_chars: 2000,
  honours: { seed: true, negative_prompt: true, camera: true },
};

const image = dataUri(makeImage('png', '416x240'));
let app: TestApp;
let files: ServedFiles;

beforeAll(async () => {
  // Audio URLs need a server to fetch from, and CI has no public host: loopback plays the Internet here.
  // The backend's invalid outputs (the retry case) must not open its circuit for the renders after them.
  app = await startTestApp({
    worker: true,
    env: { BATCH_SCHEDULE_INTERVAL_MS: '50', ALLOW_PRIVATE_IMAGE_URLS: 'true', BREAKER_FAILURE_THRESHOLD: '100' },
  });
  expect((await app.request('/v1/admin/model-capabilities', { method: 'PUT', key: app.operatorKey, json: SHORT_CLIPS })).status).toBe(201);
  files = await startServedFiles();
});
afterAll(async () => {
  await app?.close();
  files?.close();
});

type Json = Record<string, any>;

async function batchSettled(key: string, batchId: string): Promise<Json> {
  const deadline = Date.now() + 50_000;
  for (;;) {
    const b = (await (await app.request(`/v1/batches/${batchId}`, { key })).json()) as Json;
    if (['completed', 'failed', 'canceled', 'expired'].includes(b.status)) return b;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} still ${b.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function createBatch(key: string, json: Json): Promise<Json> {
  const res = await app.request('/v1/batches', { method: 'POST', key, json });
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body)).toBe(202);
  return body;
}

const manifestOf = async (key: string, id: string) =>
  (await (await app.request(`/v1/batches/${id}/results`, { key })).text())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Json);

describe('retry-failed on rows with several variants', () => {
  it('runs each failed variant again in its own place (seed, group, variant index) and charges only the ones that succeed', async () => {
    const { key } = await app.tenant({ limits: { included_video_seconds: 0 } });
    // Every render fails (invalid output, not retried): all five variants of both rows fail.
    app.backend.configure({ garbage: true });
    const created = await createBatch(key, {
      items: [
        { custom_id: 'mug', image, prompt: 'a mug', duration_seconds: 1, n: 3, seed: 7 },
        { custom_id: 'vase', image, prompt: 'a vase', duration_seconds: 1, n: 2, seed: 40 },
      ],
    });
    try {
      expect(await batchSettled(key, created.id)).toMatchObject({ status: 'failed', request_counts: { total: 5, failed: 5 } });
    } finally {
      app.backend.configure({ garbage: false });
    }
    const failed = await app.sql('select id, custom_id, variant_index, seed, group_id from videos where batch_id = $1 order by custom_id, variant_index', [
      created.id,
    ]);
    expect(failed.map((v) => [v.custom_id, v.variant_index, Number(v.seed)])).toEqual([
      ['mug', 1, 7],
      ['mug', 2, 8],
      ['mug', 3, 9],
      ['vase', 1, 40],
      ['vase', 2, 41],
    ]);

    const retried = await app.request(`/v1/batches/${created.id}/retry-failed`, { method: 'POST', key });
    expect(retried.status, await retried.clone().text()).toBe(200);
    expect(await retried.json()).toMatchObject({ status: 'in_progress', request_counts: { total: 5, queued: 5, failed: 0 } });
    expect(await batchSettled(key, created.id)).toMatchObject({ status: 'completed', request_counts: { total: 5, succeeded: 5, failed: 0 } });

    const failedIds = failed.map((v) => v.id);
    const retries = await app.sql(
      'select id, custom_id, variant_index, seed, group_id, status from videos where batch_id = $1 and not (id = any($2)) order by custom_id, variant_index',
      [created.id, failedIds],
    );
    // Each retry takes the place of one failed variant: its row, index, seed and group.
    expect(retries.map((v) => [v.custom_id, v.variant_index, v.seed, v.group_id, v.status])).toEqual(
      failed.map((v) => [v.custom_id, v.variant_index, v.seed, v.group_id, 'succeeded']),
    );
    const manifest = await manifestOf(key, created.id);
    expect(manifest.map((r) => [r.custom_id, r.variant_index, r.status])).toEqual([
      ['mug', 1, 'succeeded'],
      ['mug', 2, 'succeeded'],
      ['mug', 3, 'succeeded'],
      ['vase', 1, 'succeeded'],
      ['vase', 2, 'succeeded'],
    ]);
    expect(manifest.map((r) => r.video_id).sort()).toEqual(retries.map((v) => v.id).sort());

    // Charged once per succeeded retry, as a batch of the same rows is estimated; nothing for the failed attempts.
    const estimate = (await (
      await app.request('/v1/videos/estimate/batch', {
        method: 'POST',
        key,
        json: {
          videos: [
            { prompt: 'a mug', duration_seconds: 1, n: 3 },
            { prompt: 'a vase', duration_seconds: 1, n: 2 },
          ],
        },
      })
    ).json()) as Json;
    const usage = await app.sql('select video_id, amount_minor from usage_records where video_id = any($1)', [[...failedIds, ...retries.map((v) => v.id)]]);
    expect(usage.map((u) => u.video_id).sort()).toEqual(retries.map((v) => v.id).sort());
    expect(usage.reduce((s, u) => s + Number(u.amount_minor), 0)).toBe(estimate.total.amount);
  });
});

describe('a sound track from a URL shared by several videos', () => {
  it('outlives each deleted video until the last one using it is deleted', async () => {
    const { key } = await app.tenant();
    const path = join(mkdtempSync(join(tmpdir(), 'leoma-shared-track-')), 'theme.mp3');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', path]);
    files.served.set('/theme.mp3', readFileSync(path));
    const audio_file = `${files.base}/theme.mp3`;
    // Two rows and a row of two variants: four videos, one copy of the track.
    const created = await createBatch(key, {
      items: [
        { custom_id: 'a', image, prompt: 'p', duration_seconds: 1, audio_file },
        { custom_id: 'b', image, prompt: 'p', duration_seconds: 1, audio_file },
        { custom_id: 'c', image, prompt: 'p', duration_seconds: 1, audio_file, n: 2 },
      ],
    });
    expect(await batchSettled(key, created.id)).toMatchObject({ status: 'completed', request_counts: { succeeded: 4 } });
    const rows = await app.sql(
      `select id, post_production->'audio_input'->>'storage_key' as track, post_production->'audio_input'->>'source' as source from videos where batch_id = $1 order by custom_id, variant_index`,
      [created.id],
    );
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.track)).size).toBe(1);
    expect(rows[0]!.source).toBe('url');
    const track = rows[0]!.track as string;
    const storage = app.api.get(StorageService);
    for (const [i, row] of rows.entries()) {
      expect((await app.request(`/v1/videos/${row.id}`, { method: 'DELETE', key })).status).toBe(200);
      if (i < rows.length - 1) expect((await storage.get(track, 10_000_000)).length, `after deleting ${i + 1} of ${rows.length}`).toBeGreaterThan(0);
    }
    await expect(storage.get(track, 10_000_000)).rejects.toThrow();
  });
});

describe('a batch row naming an expired file_ image', () => {
  it('is refused per row with file_expired, before anything runs', async () => {
    const { key } = await app.tenant();
    const upload = async () => {
      const form = new FormData();
      form.set('file', new Blob([makeImage('png', '416x240')]), 'mug.png');
      return ((await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as Json).id as string;
    };
    const [expired, fresh] = [await upload(), await upload()];
    // What the retention sweep leaves: the row marked, its image gone.
    const [file] = await app.sql(`update files set expired_at = now() - interval '1 hour' where id = $1 returning storage_key`, [expired]);
    await app.api.get(StorageService).delete(file!.storage_key);
    const items = [
      { custom_id: 'old', image: expired, prompt: 'p', duration_seconds: 1 },
      { custom_id: 'new', image: fresh, prompt: 'p', duration_seconds: 1 },
    ];
    const refused = await app.request('/v1/batches', { method: 'POST', key, json: { items } });
    expect(refused.status, await refused.clone().text()).toBe(422);
    const problem = (await refused.json()) as Json;
    expect(problem).toMatchObject({ code: 'batch_invalid_rows', rejected_count: 1 });
    expect(problem.rows.map((r: Json) => [r.row, r.custom_id, r.errors.map((e: Json) => `${e.param}:${e.code}`)])).toEqual([
      [1, 'old', ['image:file_expired']],
    ]);

    const skipped = await createBatch(key, { items, on_invalid: 'skip' });
    expect(skipped).toMatchObject({ request_counts: { total: 1 }, rejected_count: 1 });
    expect(await batchSettled(key, skipped.id)).toMatchObject({ status: 'completed', request_counts: { total: 1, succeeded: 1 } });
  });
});
