import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGpuServer, type HealthAnswer, type ReferenceBackend } from '../../gpu/server/server.js';
import { wanRenderer } from '../../gpu/server/wan-renderer.js';
import { weightFetcher } from '../../gpu/server/weights-fetcher.js';
import { GENESIS_BASE, type ModelRef } from '../../gpu/weights/index.js';
import { probeVideo } from '../../src/platform/media/ffprobe.js';
import { FakeHuggingFace } from '../support/fake-weights/fake-hf.js';
import { FakeOciRegistry } from '../support/fake-weights/fake-oci-registry.js';
import { publishToHf, pushToHub, TRANSFORMER_CONFIG, wanSnapshot, type SnapshotFile } from '../support/fake-weights/wan-snapshot.js';
import { sharedBuild } from '../support/shared-build.js';

// Start-up wired end to end: the real GPU server, the real by-digest fetcher behind its WeightSource
// seam, the fake Hippius hub (and once the fake Hugging Face) on 127.0.0.1, the real Python worker
// under Debian's python3 with the stand-in torch/diffusers, real ffmpeg. The snapshots are Wan 2.2's
// shape scaled down, so the fetcher is given their base and size bounds (the defaults are the real
// genesis base and 1–200 GiB).
const PYTHON = '/usr/bin/python3';
const STANDIN = resolve('test/fixtures/wan-standin');
const HUB_TOKEN = 'hub-token-startup-3c9f1a';
const HF_TOKEN = 'hf_startupToken7d2e4b';
const CHUNK = 512 << 10;
const WAN = { width: 832, height: 480, fps: 16, num_frames: 81, duration_seconds: 81 / 16 };

let hub: FakeOciRegistry;
let hf: FakeHuggingFace;
let root: string;
let base: ModelRef;
let king: ModelRef;
let kingFiles: SnapshotFile[];
let png: string;
const servers: ReferenceBackend[] = [];
const logs: string[] = [];

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const wanted = (files: SnapshotFile[]): SnapshotFile[] => files.filter((f) => !f.path.endsWith('.py') && f.path !== 'README.md');
const totalBytes = (files: SnapshotFile[]): number => wanted(files).reduce((n, f) => n + f.data.length, 0);

/** The hub blobs holding a snapshot's weights (pushToHub chunks files of 1 MiB or more into 512 KiB chunks). */
function weightBlobs(files: SnapshotFile[]): Set<string> {
  const blobs = new Set<string>();
  for (const f of files.filter((f) => f.path.endsWith('.safetensors'))) {
    blobs.add(`sha256:${sha(f.data)}`);
    if (f.data.length >= 1 << 20) for (let at = 0; at < f.data.length; at += CHUNK) blobs.add(`sha256:${sha(f.data.subarray(at, at + CHUNK))}`);
  }
  return blobs;
}

beforeAll(async () => {
  hub = await new FakeOciRegistry(HUB_TOKEN).start();
  hf = await new FakeHuggingFace(HF_TOKEN).start();
  root = await mkdtemp(join(tmpdir(), 'leoma-gpu-startup-'));
  base = { repo: GENESIS_BASE.repo, digest: await pushToHub(hub, GENESIS_BASE.repo, wanSnapshot()) };
  kingFiles = wanSnapshot();
  king = { repo: 'miner/wan-king', digest: await pushToHub(hub, 'miner/wan-king', kingFiles) };
  const image = join(root, 'input.png');
  await new Promise<void>((done, fail) =>
    spawn('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x240', '-frames:v', '1', '-y', image]).on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`ffmpeg ${code}`)),
    ),
  );
  png = (await readFile(image)).toString('base64');
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const line of logs) for (const secret of [HUB_TOKEN, HF_TOKEN]) expect(line).not.toContain(secret);
  logs.length = 0;
});

afterAll(async () => {
  await hub?.stop();
  await hf?.stop();
  await rm(root, { recursive: true, force: true });
});

interface Started {
  server: ReferenceBackend;
  calls: () => Promise<Record<string, any>[]>;
}

async function startServer(model: ModelRef, cacheDir: string, opts: { warmUp?: null } = {}): Promise<Started> {
  const recordFile = join(root, `record-${Math.random().toString(36).slice(2)}.jsonl`);
  const log = (line: string) => logs.push(line);
  const renderer = wanRenderer({
    placement: 'model',
    python: PYTHON,
    pythonPath: [STANDIN],
    env: { PYTHONDONTWRITEBYTECODE: '1', LEOMA_STANDIN_RECORD: recordFile, LEOMA_STANDIN_STEP_SECONDS: '0' },
    log,
  });
  const weights = weightFetcher({
    cacheDir,
    minFreeBytes: 0,
    hubEndpoint: hub.url,
    hfEndpoint: hf.url,
    serving: model,
    log,
    fetcher: {
      base,
      sizeBounds: { min: 1, max: 1 << 30 },
      env: { HIPPIUS_HUB_TOKEN: HUB_TOKEN, HF_TOKEN },
      tokens: { hf: { env: ['HF_TOKEN'], file: null }, hub: { env: ['HIPPIUS_HUB_TOKEN'], file: null } },
      requestTimeoutMs: 10_000,
      stallMs: 10_000,
    },
  });
  const server = await startGpuServer({ port: 0, loadedModel: model, renderer, weights, ...opts });
  servers.push(server);
  const calls = async () =>
    (await readFile(recordFile, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, any>);
  return { server, calls };
}

async function health(url: string): Promise<HealthAnswer> {
  return (await (await fetch(`${url}/health-check`)).json()) as HealthAnswer;
}

/** Health answers every 25 ms until start-up ends. */
async function watchStartUp(server: ReferenceBackend): Promise<HealthAnswer[]> {
  const seen: HealthAnswer[] = [];
  let over = false;
  const ended = server.ready.then(() => (over = true));
  while (!over) {
    seen.push(await health(server.url));
    await Promise.race([ended, new Promise((r) => setTimeout(r, 25))]);
  }
  seen.push(await health(server.url));
  return seen;
}

const input = (extra: Record<string, unknown> = {}) => ({
  image: `data:image/png;base64,${png}`,
  prompt: 'a fox runs through snow',
  seed: 42,
  model: king,
  ...WAN,
  ...extra,
});

async function put(url: string, id: string, body: unknown) {
  const res = await fetch(`${url}/predictions/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

const metric = (text: string, line: RegExp): number => Number(line.exec(text)?.[1] ?? Number.NaN);

describe('GPU server start-up with the by-digest fetcher', () => {
  let kingCache: string;

  it('fetches the king by digest from the hub (chunked-v1), loads it in the Wan worker, warms up, goes READY, renders and attests it', async () => {
    kingCache = await mkdtemp(join(root, 'cache-king-'));
    const shard = kingFiles.find((f) => f.path === 'transformer/diffusion_pytorch_model.safetensors')!.data;
    // A slow link for the first chunks of the big shard, so the fetching phase is seen in flight.
    for (let at = 0; at < 3 * CHUNK; at += CHUNK) hub.faults.arm(sha(shard.subarray(at, at + CHUNK)), { trickleMs: 60 });
    const before = hub.requests.length;

    const { server, calls } = await startServer(king, kingCache);
    const seen = await watchStartUp(server);

    const total = totalBytes(kingFiles);
    const fetching = seen.filter((h) => h.progress.phase === 'fetching');
    expect(fetching.length).toBeGreaterThan(1);
    for (const h of fetching) expect(h).toMatchObject({ status: 'STARTING', model: king, renderer: 'wan2.2' });
    // Unknown until the manifest is read, then the snapshot's size.
    expect(new Set(fetching.map((h) => h.progress.bytes_total))).toEqual(new Set(fetching[0]!.progress.bytes_total === null ? [null, total] : [total]));
    const done = fetching.map((h) => h.progress.bytes_done);
    expect(done.every((n, i) => i === 0 || n >= done[i - 1]!)).toBe(true);
    expect(done.at(-1)!).toBeGreaterThan(done[0]!);
    expect(done.at(-1)!).toBeLessThanOrEqual(total);
    const phases = [...new Set(seen.map((h) => h.progress.phase))];
    expect(phases).toEqual(['fetching', 'loading', 'warming', 'ready']);

    const ready = seen.at(-1)!;
    expect(ready).toMatchObject({
      status: 'READY',
      model: king,
      renderer: 'wan2.2',
      progress: { phase: 'ready', bytes_done: total, bytes_total: total },
      setup: { status: 'succeeded' },
    });
    // The cache figure is measured at most every 5 s: poll until it shows the snapshot stored.
    const weights = wanted(kingFiles)
      .filter((f) => f.path.endsWith('.safetensors'))
      .reduce((n, f) => n + f.data.length, 0);
    await expect.poll(async () => (await health(server.url)).cache?.used_bytes ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(weights);
    expect((await health(server.url)).cache!.free_bytes).toBeGreaterThan(0);

    // Verified files by digest: the big shard came as its chunks, never as one blob, and no code was fetched.
    const blobs = hub.requests.slice(before).flatMap((r) => /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(r.path)?.[1] ?? []);
    expect(blobs).not.toContain(`sha256:${sha(shard)}`);
    expect(blobs.filter((b) => weightBlobs(kingFiles).has(b)).length).toBeGreaterThanOrEqual(6);
    const loaded = (await calls()).find((c) => c.call === 'from_pretrained')!;
    const snapshotDir = loaded.path as string;
    expect(snapshotDir.startsWith(kingCache)).toBe(true);
    expect(sha(await readFile(join(snapshotDir, 'transformer/diffusion_pytorch_model.safetensors')))).toBe(sha(shard));
    expect((await readdir(snapshotDir)).sort()).not.toContain('pipeline.py');
    // The warm-up was one full generation before READY.
    expect((await calls()).filter((c) => c.call === '__call__')).toHaveLength(1);

    const { status, json } = await put(server.url, 'king-1', { input: input() });
    expect(status, JSON.stringify(json).slice(0, 400)).toBe(200);
    expect(json).toMatchObject({ id: 'king-1', status: 'succeeded', model: king });
    const mp4 = join(root, 'king-1.mp4');
    await writeFile(mp4, Buffer.from((json.output as string).split(',')[1]!, 'base64'));
    expect(await probeVideo(mp4)).toMatchObject({ codec: 'h264', width: 832, height: 480, fps: 16, frames: 81 });

    const other = await put(server.url, 'other-1', { input: input({ model: { repo: 'miner/wan-challenger', digest: `sha256:${'ab'.repeat(32)}` } }) });
    expect(other.status).toBe(422);
    expect(other.json).toMatchObject({ detail: [{ loc: ['body', 'input', 'model'], type: 'model_not_loaded' }], loaded: king });
    expect((await calls()).filter((c) => c.call === '__call__')).toHaveLength(2);

    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(metric(text, /^leoma_gpu_weights_bytes_fetched_total (\d+)$/m)).toBe(total);
    for (const phase of ['fetch', 'load', 'warmup'])
      expect(metric(text, new RegExp(`^leoma_gpu_cold_start_seconds\\{phase="${phase}"\\} ([\\d.e-]+)$`, 'm'))).toBeGreaterThan(0);
    expect(metric(text, /^leoma_gpu_cache_bytes\{kind="used"\} (\d+)$/m)).toBeGreaterThanOrEqual(weights);
  }, 180_000);

  it('restarted on the same cache, trusts the completion marker: nothing is fetched again, READY', async () => {
    expect(kingCache).toBeDefined();
    const before = hub.requests.length;
    const { server, calls } = await startServer(king, kingCache, { warmUp: null });
    await server.ready;
    expect(await health(server.url)).toMatchObject({ status: 'READY', model: king, progress: { phase: 'ready', bytes_total: totalBytes(kingFiles) } });
    expect(hub.requests.slice(before)).toEqual([]);
    expect((await calls()).find((c) => c.call === 'from_pretrained')?.path).toContain(kingCache);
    // A snapshot already on disk is not bytes fetched.
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(metric(text, /^leoma_gpu_weights_bytes_fetched_total (\d+)$/m)).toBe(0);
  }, 120_000);

  it('refuses a snapshot failing the architecture check: SETUP_FAILED with the reason, no weight blob requested, nothing loaded', async () => {
    const files = wanSnapshot({ transformer: { ...TRANSFORMER_CONFIG, num_layers: 48 } });
    const wrong = { repo: 'miner/wan-wider', digest: await pushToHub(hub, 'miner/wan-wider', files) };
    const cache = await mkdtemp(join(root, 'cache-wrong-'));
    const before = hub.requests.length;

    const { server, calls } = await startServer(wrong, cache);
    await server.ready;

    const answer = await health(server.url);
    expect(answer).toMatchObject({
      status: 'SETUP_FAILED',
      model: wrong,
      progress: { phase: 'failed', detail: expect.stringMatching(/num_layers/) },
      setup: { status: 'failed' },
    });
    const blobs = hub.requests.slice(before).flatMap((r) => /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(r.path)?.[1] ?? []);
    expect(blobs.length).toBeGreaterThan(0); // the configs were read
    expect(blobs.filter((b) => weightBlobs(files).has(b))).toEqual([]);
    expect(await calls()).toEqual([]);
    expect(await readdir(join(cache, 'snapshots')).catch(() => [])).toEqual([]);
    const refused = await put(server.url, 'after-fail', { input: input({ model: wrong }) });
    expect(refused.status).toBe(503);
    expect(refused.json.detail).toContain('SETUP_FAILED');
  }, 120_000);

  it('fetches a king published on Hugging Face (LFS weights from the CDN) and goes READY with it', async () => {
    const files = wanSnapshot();
    const hfKing = { repo: 'miner/wan-hf-king', digest: publishToHf(hf, 'miner/wan-hf-king', files) };
    const cache = await mkdtemp(join(root, 'cache-hf-'));
    const before = hf.requests.length;

    const { server, calls } = await startServer(hfKing, cache, { warmUp: null });
    await server.ready;

    expect(await health(server.url)).toMatchObject({ status: 'READY', model: hfKing, progress: { phase: 'ready', bytes_done: totalBytes(files) } });
    const requests = hf.requests.slice(before);
    expect(requests.filter((r) => r.server === 'cdn').length).toBe(wanted(files).filter((f) => f.path.endsWith('.safetensors')).length);
    expect(requests.filter((r) => r.server === 'hf').every((r) => r.authorization === `Bearer ${HF_TOKEN}`)).toBe(true);
    const dir = (await calls()).find((c) => c.call === 'from_pretrained')!.path as string;
    expect(sha(await readFile(join(dir, 'vae/diffusion_pytorch_model.safetensors')))).toBe(
      sha(files.find((f) => f.path === 'vae/diffusion_pytorch_model.safetensors')!.data),
    );
  }, 120_000);
});

describe("the operator's command line (gpu/server/main.js --cache-dir --hub-endpoint, token from the environment)", () => {
  it('fetches the genesis digest from the hub with the env token, and refuses a manifest that does not hash to it: SETUP_FAILED, nothing stored, no token shown', async () => {
    const build = await sharedBuild();
    // The default base is the genesis snapshot, whose digest no fake can serve honestly: the hub
    // here answers it with other bytes, which the fetcher must refuse before fetching any blob.
    hub.replaceManifest(GENESIS_BASE.repo, GENESIS_BASE.digest, { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [] });
    const cache = join(root, 'cache-cli');
    const home = join(root, 'home-cli');
    await mkdir(home, { recursive: true });
    const before = hub.requests.length;
    const child = spawn(
      process.execPath,
      [
        join(build, 'gpu/server/main.js'),
        '--renderer',
        'wan2.2',
        '--model',
        `${GENESIS_BASE.repo}@${GENESIS_BASE.digest}`,
        '--cache-dir',
        cache,
        '--hub-endpoint',
        hub.url,
        '--min-free-gib',
        '0',
        '--python',
        PYTHON,
        '--worker-dir',
        resolve('gpu/worker'),
        '--port',
        '0',
      ],
      {
        env: { PATH: process.env.PATH, HOME: home, HIPPIUS_HUB_TOKEN: HUB_TOKEN, PYTHONPATH: STANDIN, PYTHONDONTWRITEBYTECODE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await expect.poll(() => stdout, { timeout: 60_000 }).toMatch(/setup failed: /);
      const url = /listening on (http:\/\/\S+)/.exec(stdout)![1]!;
      const answer = await health(url);
      expect(answer).toMatchObject({
        status: 'SETUP_FAILED',
        model: GENESIS_BASE,
        renderer: 'wan2.2',
        progress: { phase: 'failed', detail: expect.stringContaining('with a manifest whose digest is sha256:') },
      });
      const requests = hub.requests.slice(before);
      // The env token went to the token service only; the registry saw the pull token it issued.
      expect(requests.filter((r) => r.path === '/service/token').map((r) => r.authorization)).toContain(`Bearer ${HUB_TOKEN}`);
      expect(requests.some((r) => r.path === `/v2/${GENESIS_BASE.repo}/manifests/${GENESIS_BASE.digest}` && r.authorization?.startsWith('Bearer pull-'))).toBe(
        true,
      );
      expect(requests.filter((r) => r.path.includes('/blobs/'))).toEqual([]);
      expect(await readdir(join(cache, 'snapshots'))).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(stdout + stderr).not.toContain(HUB_TOKEN);
  }, 300_000);
});
