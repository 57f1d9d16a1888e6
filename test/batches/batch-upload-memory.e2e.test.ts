import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { sharedBuild, spawnBuilt } from '../support/shared-build.js';
import { freePort } from '../../tools/dev/free-port.js';
import { PRODUCTION_NODE_FLAGS } from '../../tools/dev/production-node-flags.js';
import { until } from '../support/until.js';

/**
 * Concurrent large batch uploads against the API as a pod runs it: the production build in its own
 * process, with a V8 heap cap, and test/support/memory-probe.ts preloaded to measure the memory
 * the process holds live (heap in use plus Buffers, after a full collection). Each batch is a JSONL
 * file of rows carrying their images inline (~1 MiB data URIs), streamed to the API as it is
 * generated. The file waits on disk, its rows are read from there as a stream, and each inline
 * image is checked and stored while the rows are read (at most BATCH_IMAGE_CONCURRENCY at once in
 * the process), so what the API holds does not grow with the files' size.
 *
 * Resident memory could not tell that apart (a whole-file read grew it by 146 MB, the stream by
 * 92–134 MB: the allocator keeps what it freed and garbage waits for a collection). Live memory
 * can: a file read whole is held, every byte of it, until its rows are read — several files at
 * a time — while the stream holds a few lines and the images in flight, whatever the files' size.
 * Uploads sent together are read together: at CI size a whole-file read held four files at once
 * (+97 MiB), at full size about four of the ten (+254 MiB), the stream +13 and +33 MiB. The bound
 * is one and a half files' size. Turning `createReadStream(upload.path)` in batch-source.service.ts
 * into `Readable.from([await readFile(upload.path)])` fails this test at both sizes (recorded in
 * bench/results/*-batch-upload-memory.md).
 *
 * BATCH_UPLOADS × BATCH_UPLOAD_MIB scales it: 4 × 24 MiB by default (CI), the issue's 10 × 60 MiB
 * by hand; the heap cap scales with it (BATCH_UPLOAD_HEAP_MB: 300 at full size).
 */
const UPLOADS = Number(process.env.BATCH_UPLOADS ?? 4);
const MIB = Number(process.env.BATCH_UPLOAD_MIB ?? 24);
/** MiB, as the probe reports. */
const LIVE_GROWTH_LIMIT_MB = Math.round(1.5 * MIB);
/** The idle API's heap (about 90 MiB) plus three files' size, the issue's 300 at full size: files read whole as strings run out of heap. */
const HEAP_MB = Number(process.env.BATCH_UPLOAD_HEAP_MB ?? Math.min(300, 120 + 3 * MIB));
const MB = 1024 * 1024;
/** The answer comes once every row's image is stored: at full scale on a loaded machine, minutes later. */
const patient = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

let app: TestApp;
let api: ChildProcess;
let port: number;
let images: string[];
const probeDir = mkdtempSync(join(tmpdir(), 'leoma-memory-probe-'));
const probeFile = join(probeDir, 'memory.json');

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

/** What test/support/memory-probe.ts last wrote: MB held live now and at the peak since its last reset. */
function probed(): {
  samples: number;
  now: { live: number; heap: number; external: number; rss: number };
  peak: { live: number; heap: number; external: number };
} {
  return JSON.parse(readFileSync(probeFile, 'utf8'));
}

/** Starts the probe's peak afresh and waits for two samples after it: the idle process's live memory. */
async function resetProbe(): Promise<number> {
  const from = probed().samples;
  api.kill('SIGUSR2');
  await until('the memory probe to sample twice', async () => probed().samples >= from + 2, 30_000, 50);
  return probed().now.live;
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
  images = noiseImages(8);
  let build: string;
  [build, app] = await Promise.all([sharedBuild(), startTestApp({ env: { SANDBOX_REQUESTS_PER_MINUTE: '100000' } })]);
  port = await freePort();
  ({ child: api } = await spawnBuilt(build, 'src/app/main-api.js', 'leoma api listening', {
    PORT: String(port),
    HOST: '127.0.0.1',
    // The image's flags, the heap cap, and the probe.
    NODE_OPTIONS: [
      ...PRODUCTION_NODE_FLAGS,
      `--max-old-space-size=${HEAP_MB}`,
      '--expose-gc',
      `--import=${pathToFileURL(fileURLToPath(new URL('../support/memory-probe.ts', import.meta.url))).href}`,
    ].join(' '),
    MEMORY_PROBE_FILE: probeFile,
  }));
}, 420_000);
afterAll(async () => {
  api?.kill('SIGKILL');
  await app?.close();
  rmSync(probeDir, { recursive: true, force: true });
});

describe('concurrent large batch uploads', () => {
  it(`${UPLOADS} batch files of ${MIB} MiB at once under a ${HEAP_MB} MiB heap: all accepted, the API holds under ${LIVE_GROWTH_LIMIT_MB} MiB more than idle`, async () => {
    // One tenant each: a tenant may have only LARGE_BODIES_IN_FLIGHT_PER_TENANT large requests in progress.
    const keys = await Promise.all(Array.from({ length: UPLOADS }, async () => (await app.tenant({ limits: { requests_per_minute: 100_000 } })).key));
    const idle = await resetProbe();
    const started = Date.now();
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
    // One more sample after the last answer: the peak covers the whole run.
    const last = probed().samples;
    await until('a memory sample after the uploads', async () => probed().samples > last, 30_000, 50);
    const { peak, now } = probed();
    console.log(
      `${UPLOADS} × ${MIB} MiB batch uploads (${results[0]!.rows} rows each) in ${Math.round((Date.now() - started) / 1000)} s, heap cap ${HEAP_MB} MiB: ` +
        `API live memory ${idle} MiB idle, peak ${peak.live} MiB (heap ${peak.heap}, outside it ${peak.external}), ${now.live} MiB after; RSS ${now.rss} MiB`,
    );
    for (const r of results) expect(r).toMatchObject({ status: 202, total: r.rows });
    expect(api.exitCode, 'the API ran out of heap').toBeNull();
    expect(peak.live - idle).toBeLessThan(LIVE_GROWTH_LIMIT_MB);
  }, 600_000);
});
