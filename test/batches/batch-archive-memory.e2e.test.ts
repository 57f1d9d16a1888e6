import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestS3Client } from '../support/isolation.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';

type Json = Record<string, any>;
const run = promisify(execFile);

/**
 * Issue 32: GET /v1/batches/{id}/archive streams, with bounded memory. The items' MP4s are
 * replaced in storage by large objects (ARCHIVE_MEMORY_OBJECT_MB each, 32 MiB by default), so the
 * archive is far larger than the bound; a slow client in its own process (a child Node reading
 * the response a chunk at a time with pauses) pulls it while this process's live off-heap buffer
 * memory (where every byte from S3 and to the socket lives) is sampled after a collection. An API
 * that read an object, or the archive, whole would hold at least one object's size more.
 *
 * Two things made the measure noisy before: a client in this process (fetch) buffered what it had
 * not read yet into the same figure, so the client runs in a child process; and V8 frees the
 * backing stores of dead ArrayBuffers on a background thread after a collection, so a sample taken
 * right after gc() could still count tens of MB of garbage (peaks of +37 MB on the streaming code,
 * rarely). Sweeping them within the collection makes each sample count only what is live.
 */
const OBJECT_MB = Number(process.env.ARCHIVE_MEMORY_OBJECT_MB ?? 32);
const ITEMS = 4;
const image = dataUri(makeImage('png'));
let app: TestApp;
let s3: S3Client;

// Buffers already passed on are garbage until a collection: each sample collects first, so it counts what is still held.
setFlagsFromString('--expose-gc');
setFlagsFromString('--no-concurrent-array-buffer-sweeping');
const gc = runInNewContext('gc') as () => void;
const liveBuffers = () => {
  gc();
  return process.memoryUsage().arrayBuffers;
};

describe('the batch archive', () => {
  beforeAll(async () => {
    app = await startTestApp({ worker: true, env: { BATCH_SCHEDULE_INTERVAL_MS: '50', WORKER_CONCURRENCY: '4' } });
    s3 = createTestS3Client();
  });
  afterAll(async () => {
    s3?.destroy();
    await app?.close();
  });

  it('streams a ZIP many times larger than the memory it holds', { timeout: 120_000 }, async () => {
    const { key } = await app.tenant();
    const items = Array.from({ length: ITEMS }, (_, i) => ({ custom_id: `sku-${i}`, image, prompt: 'a lamp', duration_seconds: 1 }));
    const created = await app.request('/v1/batches', { method: 'POST', key, json: { items } });
    expect(created.status).toBe(202);
    const batchId = ((await created.json()) as Json).id as string;
    await until(
      'the batch to complete',
      async () => ((await (await app.request(`/v1/batches/${batchId}`, { key })).json()) as Json).status === 'completed',
      60_000,
      100,
    );

    const outputs = await app.sql<{ key: string }>("select output->>'storage_key' as key from videos where batch_id = $1", [batchId]);
    // One buffer for every object, held to the end: it is in the baseline and stays there.
    const body = randomBytes(OBJECT_MB * 1024 * 1024);
    for (const { key: objectKey } of outputs) await s3.send(new PutObjectCommand({ Bucket: process.env.S3_BUCKET, Key: objectKey, Body: body }));
    const baseline = liveBuffers();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, liveBuffers())), 250);
    let bytes = 0;
    try {
      bytes = await slowDownload(`${app.url}/v1/batches/${batchId}/archive`, key);
    } finally {
      clearInterval(sampler);
    }
    const total = ITEMS * body.length;
    expect(bytes).toBeGreaterThan(total);
    const grewMb = (peak - baseline) / 1024 / 1024;
    // One object is OBJECT_MB; the whole archive ITEMS times that. Streaming holds a few MB of chunks.
    expect(grewMb, `off-heap buffers grew ${grewMb.toFixed(1)} MB while ${(bytes / 1e6).toFixed(0)} MB streamed`).toBeLessThan(OBJECT_MB / 2);
  });
});

/**
 * Downloads a URL in a child Node process that reads a chunk at a time and pauses every 4 MB (a
 * slow client: the API must wait for it, not read ahead into memory); resolves with the bytes read.
 */
async function slowDownload(url: string, key: string): Promise<number> {
  const script = `
    const res = await fetch(process.env.URL, { headers: { authorization: 'Bearer ' + process.env.KEY } });
    if (res.status !== 200) throw new Error('status ' + res.status);
    let bytes = 0;
    for await (const chunk of res.body) {
      bytes += chunk.length;
      if (bytes % (4 * 1024 * 1024) < chunk.length) await new Promise((r) => setTimeout(r, 25));
    }
    process.stdout.write(String(bytes));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, URL: url, KEY: key }, maxBuffer: 1024 });
  return Number(stdout);
}
