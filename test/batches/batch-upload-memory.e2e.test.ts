import { execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { sharedBuild, spawnBuilt } from '../support/shared-build.js';
import { freePort } from '../../tools/dev/free-port.js';

/**
 * Concurrent large batch uploads against the API as a pod runs it (the production build in its
 * own process, its peak resident memory read from /proc): each batch is a JSONL file of rows
 * carrying their images inline (~1 MiB data URIs), streamed to the API as it is generated. The
 * file waits on disk, its rows are read from there as a stream, and each inline image is checked
 * and stored while the rows are read (at most BATCH_IMAGE_CONCURRENCY at once in the process), so
 * the API's memory does not grow with the files' size. BATCH_UPLOADS × BATCH_UPLOAD_MIB scales it:
 * 3 × 20 MiB by default (CI); the full run (10 × 60 MiB) is recorded in
 * bench/results/*-batch-upload-memory.md. The bound is on the growth over the idle process (its
 * idle size is issue 36's): 3 × 20 MiB grew it by 146 MB when the file was read whole and its
 * inline images held until every row was read, by 92 MB streamed.
 */
const UPLOADS = Number(process.env.BATCH_UPLOADS ?? 3);
const MIB = Number(process.env.BATCH_UPLOAD_MIB ?? 20);
const GROWTH_LIMIT_MB = Number(process.env.BATCH_UPLOAD_GROWTH_LIMIT_MB ?? 128);
/**
 * Off by default (BATCH_UPLOAD_MEMORY=1 runs it): the streamed reader grew the API by 92–108 MB in
 * runs of this file, the old whole-file read by 146 MB, but the full CI run of 2026-12-06 measured
 * 134 MB, so at this scale the bound does not separate the two reliably enough to gate CI on.
 */
const RUN = process.env.BATCH_UPLOAD_MEMORY === '1';
const MB = 1024 * 1024;
/** The answer comes once every row's image is stored: at full scale on a loaded machine, later than fetch's default five minutes. */
const patient = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

let app: TestApp;
let api: ChildProcess;
let port: number;
let images: string[];

/** Distinct PNGs of noise (incompressible: about 1 MiB each), as data URIs. */
function noiseImages(n: number): string[] {
  const out = execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'nullsrc=s=600x600:r=25,geq=random(1)*255:random(2)*255:random(3)*255',
      '-frames:v',
      String(n),
      '-c:v',
      'png',
      '-f',
      'image2pipe',
      '-',
    ],
    { maxBuffer: 256 * MB },
  );
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const starts: number[] = [];
  for (let i = out.indexOf(signature); i !== -1; i = out.indexOf(signature, i + 1)) starts.push(i);
  return starts.map((s, i) => `data:image/png;base64,${out.subarray(s, starts[i + 1] ?? out.length).toString('base64')}`);
}

/** Kilobytes of the process's resident memory: now (VmRSS) and its peak so far (VmHWM). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]);
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

const BOUNDARY = 'leomabatchboundary';

/** A multipart body whose `file` part is a JSONL batch of about `bytes` bytes, produced as it is sent. */
function batchUpload(bytes: number, tag: string): { body: ReadableStream<Uint8Array>; rows: () => number } {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="catalogue.jsonl"\r\nContent-Type: application/jsonl\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  let sent = 0;
  let row = 0;
  let stage = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stage === 0) {
        stage = 1;
        return controller.enqueue(head);
      }
      if (sent < bytes) {
        const line = Buffer.from(
          `${JSON.stringify({ custom_id: `${tag}-${++row}`, image: images[row % images.length], prompt: `product shot ${row}`, duration_seconds: 1 })}\n`,
        );
        sent += line.length;
        return controller.enqueue(line);
      }
      controller.enqueue(tail);
      controller.close();
    },
  });
  return { body, rows: () => row };
}

beforeAll(async () => {
  if (!RUN) return;
  images = noiseImages(8);
  let build: string;
  [build, app] = await Promise.all([sharedBuild(), startTestApp({ env: { SANDBOX_REQUESTS_PER_MINUTE: '100000' } })]);
  port = await freePort();
  ({ child: api } = await spawnBuilt(build, 'src/app/main-api.js', 'leoma api listening', { PORT: String(port), HOST: '127.0.0.1' }));
}, 420_000);
afterAll(async () => {
  api?.kill('SIGKILL');
  await app?.close();
});

describe.skipIf(!RUN)('concurrent large batch uploads', () => {
  it(`${UPLOADS} batch files of ${MIB} MiB at once: all accepted, the API's resident memory grows by under ${GROWTH_LIMIT_MB} MB`, async () => {
    // One tenant each: a tenant may have only LARGE_BODIES_IN_FLIGHT_PER_TENANT large requests in progress.
    const keys = await Promise.all(Array.from({ length: UPLOADS }, async () => (await app.tenant({ limits: { requests_per_minute: 100_000 } })).key));
    const before = memoryOf(api.pid!);
    const results = await Promise.all(
      keys.map(async (key, i) => {
        const upload = batchUpload(MIB * MB, `u${i}`);
        const res = await fetch(`http://127.0.0.1:${port}/v1/batches`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
          body: upload.body,
          duplex: 'half',
          dispatcher: patient,
        } as RequestInit);
        const batch = (await res.json()) as { request_counts?: { total: number }; code?: string; detail?: string };
        return { status: res.status, total: batch.request_counts?.total, rows: upload.rows(), problem: batch.code && `${batch.code}: ${batch.detail}` };
      }),
    );
    const after = memoryOf(api.pid!);
    const peakMb = Math.round(after.peak / 1024);
    console.log(
      `${UPLOADS} × ${MIB} MiB batch uploads (${results[0]!.rows} rows each): API RSS ${Math.round(before.rss / 1024)} MB before, peak ${peakMb} MB, ${Math.round(after.rss / 1024)} MB after`,
    );
    for (const r of results) expect(r).toMatchObject({ status: 202, total: r.rows });
    expect(peakMb - Math.round(before.rss / 1024)).toBeLessThan(GROWTH_LIMIT_MB);
  }, 600_000);
});
