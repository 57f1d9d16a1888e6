import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { Session } from 'node:inspector/promises';
import { Agent } from 'undici';
import { ZipFile } from 'yazl';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { CreateBucketCommand, ListObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { startS3 } from '../tools/dev/s3-server.js';
import { startTestApp } from '../test/support/test-app.js';
import { makeImage } from '../test/support/images.js';
import { sharedBuild } from '../test/support/shared-build.js';
import { freePort } from '../tools/dev/free-port.js';
import { PRODUCTION_NODE_FLAGS } from '../tools/dev/production-node-flags.js';

// The run: BENCH_CATALOGUE_ROWS=5000 npx vitest run -c bench/vitest.config.ts bench/catalogue.bench-run.ts
const ROWS = Number(process.env.BENCH_CATALOGUE_ROWS ?? 5_000);
const PUT_CONCURRENCY = Number(process.env.BENCH_PUT_CONCURRENCY ?? 16);
// Upload URLs asked per POST /v1/files/uploads (the API's FILES_UPLOADS_PER_REQUEST is 1,000).
const UPLOADS_PER_REQUEST = Number(process.env.BENCH_UPLOADS_PER_REQUEST ?? 500);
// `accepted`: stop once the batch is accepted (printing each phase's API peak RSS), to study intake alone.
const UNTIL = process.env.BENCH_CATALOGUE_UNTIL;
// Renders at once in the worker: on two cores more than a few only thrash (each is an ffmpeg).
const WORKER_CONCURRENCY = process.env.BENCH_WORKER_CONCURRENCY ?? '16';
// A directory: a V8 CPU profile of this process (worker, reference backend, customer store) while the batch runs, there.
const WORKER_PROFILE_DIR = process.env.BENCH_WORKER_CPU_PROF;

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * CPU seconds (user + system) a process and the children it waited for (ffmpeg, ffprobe) have used,
 * from /proc: a cost per item that does not depend on how loaded the shared machine is.
 */
function cpuSecondsOf(pid: number | 'self'): number {
  const { own, children } = cpuSplitOf(pid);
  return own + children;
}

/** The same, split: the process's own (JS, libuv, zlib) and its waited-for children's (ffmpeg, ffprobe). */
function cpuSplitOf(pid: number | 'self'): { own: number; children: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // After the command: state is field 3, so utime/stime/cutime/cstime (fields 14-17) sit at 11-14.
  const ticks = (i: number) => Number(fields[i]) / 100;
  return { own: ticks(11) + ticks(12), children: ticks(13) + ticks(14) };
}

async function zipOf(entries: [string, Buffer][]): Promise<Buffer> {
  const z = new ZipFile();
  for (const [name, bytes] of entries) z.addBuffer(bytes, name, { compress: false });
  z.end();
  const chunks: Buffer[] = [];
  for await (const c of z.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

async function eachLimited<T>(items: T[], n: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

/**
 * A catalogue of local product photos from upload to delivered files, against the production
 * build of the api in its own process (so its memory is its own; VmHWM is its peak) and an
 * in-process worker with the reference backend: ROWS photos through presigned uploads (PUT
 * straight to s3rver, each completed and checked), the same photos as one ZIP, a CSV batch whose
 * rows name the ZIP's members, the batch run to completion, its manifest, and its archive
 * streamed. Counts any 429 the client saw (the flow needs no client-side queueing). Writes
 * bench/results/<time>-catalogue.{json,md}. A bench, not a test: nothing asserts on time.
 */
it(`catalogue of ${ROWS} local photos: upload to delivered files`, { timeout: 90 * 60_000 }, async () => {
  // The customer's own bucket: a second s3rver, which the items' files are delivered to.
  const storeDir = await mkdtemp(join(tmpdir(), 'bench-customer-s3-'));
  const store = await startS3({ dir: storeDir });
  const customer = new S3Client({
    region: 'us-east-1',
    endpoint: store.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await customer.send(new CreateBucketCommand({ Bucket: 'catalogue' }));
  const app = await startTestApp({
    worker: true,
    env: {
      LOG_LEVEL: 'error',
      BATCH_SCHEDULE_INTERVAL_MS: '100',
      WORKER_CONCURRENCY,
      DESTINATION_ENDPOINT_ALLOWLIST: '127.0.0.1',
      DESTINATION_CONCURRENCY: '8',
    },
  });
  const { key } = await app.tenant({ limits: { max_batch_size: ROWS, concurrent_videos: 32, uploads_per_day: 4 * ROWS, uploads_per_month: 4 * ROWS } });
  const build = await sharedBuild();
  const port = await freePort();
  // With production's V8 flags, so its peak memory is what a deployed API would reach.
  const api = spawn(process.execPath, [...PRODUCTION_NODE_FLAGS, join(build, 'src/app/main-api.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    api.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
    api.once('exit', (code) => reject(new Error(`api exited ${code}`)));
  });
  const target = `http://127.0.0.1:${port}`;
  let refused429 = 0;
  // Accepting a 5,000-row batch reads, checks and stores every photo before it answers, which on
  // a loaded machine can take longer than fetch's default 300 s wait for response headers.
  const patient = new Agent({ headersTimeout: 30 * 60_000, bodyTimeout: 30 * 60_000 });
  const call = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const res = await fetch(`${target}${path}`, {
      ...init,
      dispatcher: patient,
      headers: { authorization: `Bearer ${key}`, ...(init.json ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string>) },
      body: init.json ? JSON.stringify(init.json) : init.body,
    });
    if (res.status === 429) refused429++;
    return res;
  };
  const photo = makeImage('jpeg', '1024x768');
  const phases: Record<string, number> = {};
  // The API's peak RSS when each phase ended: VmHWM only grows, so the phase where it jumps is the one that set it.
  const peaks: Record<string, number> = {};
  const timed = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await step();
    phases[name] = Math.round(performance.now() - t0);
    peaks[name] = Math.round(memoryOf(api.pid!).peak);
    return out;
  };
  const destination = await call('/v1/destinations', {
    method: 'POST',
    json: { bucket: 'catalogue', endpoint: store.endpoint, access_key_id: 'S3RVER', secret_access_key: 'S3RVER', prefix: 'skus/' },
  });
  if (destination.status !== 201) throw new Error(`destination: ${destination.status} ${await destination.text()}`);
  const destinationId = ((await destination.json()) as { id: string }).id;
  const idle = memoryOf(api.pid!);
  const loadAtStart = loadavg().map((l) => l.toFixed(1));
  const started = performance.now();
  try {
    await timed('presigned uploads (ask, PUT, complete)', async () => {
      for (let from = 0; from < ROWS; from += UPLOADS_PER_REQUEST) {
        const specs = Array.from({ length: Math.min(UPLOADS_PER_REQUEST, ROWS - from) }, (_, i) => ({
          filename: `sku-${from + i}.jpg`,
          content_type: 'image/jpeg',
          bytes: photo.length,
        }));
        const res = await call('/v1/files/uploads', { method: 'POST', json: { files: specs } });
        if (res.status !== 201) throw new Error(`uploads: ${res.status} ${(await res.text()).slice(0, 300)}`);
        const { data } = (await res.json()) as { data: { id: string; upload_url: string }[] };
        await eachLimited(data, PUT_CONCURRENCY, async (u) => {
          const put = await fetch(u.upload_url, { method: 'PUT', body: photo, headers: { 'Content-Type': 'image/jpeg' } });
          if (!put.ok) throw new Error(`PUT ${put.status}`);
          const done = await call(`/v1/files/${u.id}/complete`, { method: 'POST' });
          if (done.status !== 200) throw new Error(`complete ${done.status}`);
        });
      }
    });
    const archiveId = await timed('ZIP of the photos uploaded (image_archive, checked whole)', async () => {
      const zip = await zipOf(Array.from({ length: ROWS }, (_, i) => [`photos/sku-${i}.jpg`, photo]));
      const form = new FormData();
      form.set('purpose', 'image_archive');
      form.set('file', new Blob([zip], { type: 'application/zip' }), 'photos.zip');
      const res = await call('/v1/files', { method: 'POST', body: form });
      if (res.status !== 201) throw new Error(`archive: ${res.status} ${(await res.text()).slice(0, 300)}`);
      return ((await res.json()) as { id: string }).id;
    });
    const batchId = await timed('batch accepted (CSV naming the members; each read, checked, stored)', async () => {
      const csv = [
        'custom_id,image,prompt,duration_seconds,seed',
        ...Array.from({ length: ROWS }, (_, i) => `SKU-${i},photos/sku-${i}.jpg,the product turns slowly,1,${i + 1}`),
      ];
      const form = new FormData();
      form.set('file', new Blob([csv.join('\n')], { type: 'text/csv' }), 'catalogue.csv');
      form.set('images_file_id', archiveId);
      form.set('destination', destinationId);
      form.set('destination_key', '{custom_id}.mp4');
      const res = await call('/v1/batches', { method: 'POST', body: form });
      if (res.status !== 202) throw new Error(`batch: ${res.status} ${(await res.text()).slice(0, 300)}`);
      return ((await res.json()) as { id: string }).id;
    });
    if (UNTIL === 'accepted') {
      await call(`/v1/batches/${batchId}/cancel`, { method: 'POST' });
      console.info({ rows: ROWS, idle_rss_mb: Math.round(idle.rss), phases_ms: phases, api_peak_rss_mb_after: peaks });
      return;
    }
    const cpuBefore = { worker: cpuSecondsOf('self'), api: cpuSecondsOf(api.pid!), split: cpuSplitOf('self') };
    const profiler = WORKER_PROFILE_DIR ? new Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const counts = await timed('batch ran to completion', async () => {
      for (;;) {
        const b = (await (await call(`/v1/batches/${batchId}`)).json()) as { status: string; request_counts: Record<string, number> };
        if (b.status === 'completed' || b.status === 'failed') return b.request_counts;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    });
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      mkdirSync(WORKER_PROFILE_DIR!, { recursive: true });
      writeFileSync(join(WORKER_PROFILE_DIR!, `catalogue-worker-${ROWS}.cpuprofile`), JSON.stringify(profile));
      profiler.disconnect();
    }
    const split = cpuSplitOf('self');
    const cpuPerItem = {
      worker_own_s: (split.own - cpuBefore.split.own) / ROWS,
      ffmpeg_children_s: (split.children - cpuBefore.split.children) / ROWS,
      worker_and_backend_s: (cpuSecondsOf('self') - cpuBefore.worker) / ROWS,
      api_s: (cpuSecondsOf(api.pid!) - cpuBefore.api) / ROWS,
    };
    // Why any item failed, so a failure under load is told from one of the flow.
    const failures = (await app.sql(
      `select error_code, left(error_message, 200) as message, count(*)::int as n from videos where status = 'failed' group by 1, 2 order by 3 desc limit 10`,
    )) as { error_code: string; message: string; n: number }[];
    const deliveries = await timed('every file delivered to the customer bucket', async () => {
      const deadline = Date.now() + 20 * 60_000;
      for (;;) {
        const rows = (await app.sql(`select status, count(*)::int as n from video_deliveries group by status`)) as { status: string; n: number }[];
        const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
        if ((by.pending ?? 0) === 0 || Date.now() > deadline) return by;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    });
    // The batch's manifest, written to the same bucket when the batch ended.
    const manifest = await timed('manifest written to the customer bucket', async () => {
      const deadline = Date.now() + 5 * 60_000;
      for (;;) {
        const b = (await (await call(`/v1/batches/${batchId}`)).json()) as { manifest_delivery: { status: string; key: string | null } | null };
        if (b.manifest_delivery?.status !== 'pending' || Date.now() > deadline) return b.manifest_delivery;
        await new Promise((r) => setTimeout(r, 500));
      }
    });
    // Counted by listing the customer's bucket, with ListObjects (v1) paged by the last key: s3rver
    // 3.7's ListObjectsV2 encrypts its continuation token with DES, which OpenSSL 3 (Node >= 17)
    // no longer has, so any V2 listing longer than one page (1,000 keys: 500 rows' MP4s and
    // posters plus the manifest) answers 500 InternalError. A listing that still fails is recorded.
    let deliveredMp4s: number | string = 0;
    try {
      let n = 0;
      for (let marker: string | undefined, more = true; more; ) {
        const page = await customer.send(new ListObjectsCommand({ Bucket: 'catalogue', Prefix: 'skus/', Marker: marker }));
        const keys = (page.Contents ?? []).map((o) => o.Key!);
        n += keys.filter((k) => k.endsWith('.mp4')).length;
        more = page.IsTruncated === true && keys.length > 0;
        marker = keys.at(-1);
      }
      deliveredMp4s = n;
    } catch (e) {
      deliveredMp4s = `listing failed: ${(e as Error).name}: ${(e as Error).message}`;
    }
    await timed('manifest (CSV) read', async () => (await call(`/v1/batches/${batchId}/results?format=csv`)).text());
    const archiveBytes = await timed('archive streamed (ZIP of MP4s and posters)', async () => {
      let bytes = 0;
      for await (const c of (await call(`/v1/batches/${batchId}/archive`)).body as unknown as AsyncIterable<Uint8Array>) bytes += c.length;
      return bytes;
    });
    const wallMs = Math.round(performance.now() - started);
    const end = memoryOf(api.pid!);
    const result = {
      rows: ROWS,
      wall_ms: wallMs,
      items_per_second: {
        batch: Number((ROWS / (phases['batch ran to completion']! / 1000)).toFixed(2)),
        whole_run: Number((ROWS / (wallMs / 1000)).toFixed(2)),
      },
      phases_ms: phases,
      api_peak_rss_mb_after_phase: peaks,
      request_counts: counts,
      failures,
      deliveries,
      delivered_mp4s_in_customer_bucket: deliveredMp4s,
      manifest_delivery: manifest,
      cpu_seconds_per_item: {
        worker_and_backend: Number(cpuPerItem.worker_and_backend_s.toFixed(3)),
        of_which_bench_process: Number(cpuPerItem.worker_own_s.toFixed(3)),
        of_which_ffmpeg_ffprobe: Number(cpuPerItem.ffmpeg_children_s.toFixed(3)),
        api: Number(cpuPerItem.api_s.toFixed(3)),
      },
      backend:
        'the reference renderer (gpu/server, test card: ffmpeg zoompan of the photo to H.264), one render per row: each row has its own seed, so no two renders are alike and its render cache never answers',
      archive_bytes: archiveBytes,
      responses_429: refused429,
      api_rss_mb: { idle: Math.round(idle.rss), end: Math.round(end.rss), peak: Math.round(end.peak) },
      machine: { cores: cpus().length, cpu: cpus()[0]?.model, load_at_start: loadAtStart, load: loadavg().map((l) => l.toFixed(1)) },
    };
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(`bench/results/${stamp}-catalogue.json`, `${JSON.stringify(result, null, 2)}\n`);
    const md = [
      `# Catalogue run: ${ROWS} local photos, upload to delivered files`,
      '',
      `A CSV batch of ${ROWS} rows rendered by the reference renderer, one render per row (${result.backend}).`,
      '',
      `Wall time ${(wallMs / 1000).toFixed(1)} s (${result.items_per_second.whole_run} items/s; the batch alone ${(phases['batch ran to completion']! / 1000).toFixed(1)} s, ${result.items_per_second.batch} items/s); API peak RSS ${result.api_rss_mb.peak} MB (idle ${result.api_rss_mb.idle} MB); 429 responses: ${refused429}.`,
      `Deliveries: ${JSON.stringify(deliveries)}; ${deliveredMp4s} MP4s in the customer's bucket; manifest ${manifest?.status ?? 'none'} (${manifest?.key ?? '-'}). CPU per item: worker+backend+ffmpeg ${result.cpu_seconds_per_item.worker_and_backend} s (bench process ${result.cpu_seconds_per_item.of_which_bench_process} s, ffmpeg/ffprobe ${result.cpu_seconds_per_item.of_which_ffmpeg_ffprobe} s), api ${result.cpu_seconds_per_item.api} s.`,
      `Command: BENCH_CATALOGUE_ROWS=${ROWS} BENCH_WORKER_CONCURRENCY=${WORKER_CONCURRENCY} npx vitest run -c bench/vitest.config.ts bench/catalogue.bench-run.ts`,
      `Items: ${JSON.stringify(counts)}; failures: ${JSON.stringify(failures)}; archive ${(archiveBytes / 1e6).toFixed(1)} MB. Machine: ${result.machine.cores} cores, load ${result.machine.load_at_start.join(' ')} at the start, ${result.machine.load.join(' ')} at the end.`,
      '',
      '| phase | ms | API peak RSS after it (MB) |',
      '| --- | --- | --- |',
      ...Object.entries(phases).map(([k, v]) => `| ${k} | ${v} | ${peaks[k]} |`),
      '',
    ].join('\n');
    writeFileSync(`bench/results/${stamp}-catalogue.md`, md);
    console.info(`\n${md}`);
  } finally {
    api.kill('SIGTERM');
    await patient.close();
    await app.close();
    customer.destroy();
    await store.stop();
    await rm(storeDir, { recursive: true, force: true });
  }
});
