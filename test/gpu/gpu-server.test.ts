import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../src/platform/media/ffprobe.js';
import { parseModelArg } from '../../gpu/server/model-ref.js';
import { startGpuServer, startReferenceBackend, type ReferenceBackend, type ReferenceBackendOptions } from '../../gpu/server/server.js';
import { localWeightSource, type FetchProgress, type WeightSource } from '../../gpu/server/weight-source.js';

// The contract's model parts (GPU-CONTRACT, issue 27): the server names the model it serves,
// refuses a job for another, attests the one that rendered, and reports its start-up.
const KING = { repo: 'leoma/wan2.2-i2v-a14b-diffusers', digest: 'sha256:79e4cc89edd935e8ea843ae2bd80fb85d3444128bb946990109a33ffafb2184e' };
const OTHER = { repo: 'miner/wan-finetune', digest: `hf:${'a'.repeat(40)}` };

let dir: string;
let png: string;
const backends: ReferenceBackend[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leoma-gpu-server-test-'));
  const file = join(dir, 'input.png');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=160x120', '-frames:v', '1', '-y', file]);
  png = (await readFile(file)).toString('base64');
});

afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function start(opts: ReferenceBackendOptions = {}, waitReady = true): Promise<ReferenceBackend> {
  const backend = await (waitReady ? startReferenceBackend : startGpuServer)({ port: 0, ...opts });
  backends.push(backend);
  return backend;
}

const input = (extra: Record<string, unknown> = {}) => ({
  image: `data:image/png;base64,${png}`,
  prompt: 'a cat',
  duration_seconds: 0.5,
  fps: 8,
  width: 64,
  height: 48,
  ...extra,
});

async function call(url: string, method: string, body?: unknown) {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

describe('the GPU server, serving a model (--model)', () => {
  it('reports the model, the renderer and a finished start-up on both health routes', async () => {
    const { url } = await start({ loadedModel: KING });
    for (const path of ['/health-check', '/health']) {
      const { status, json } = await call(`${url}${path}`, 'GET');
      expect(status).toBe(200);
      expect(json).toEqual({
        status: 'READY',
        setup: { started_at: expect.any(String), completed_at: expect.any(String), status: 'succeeded', logs: expect.stringContaining('ready') },
        model: KING,
        renderer: 'test-card',
        progress: { phase: 'ready', bytes_done: 0, bytes_total: null, detail: null },
        cache: null,
      });
    }
  });

  it('renders a job for its model and attests it on the prediction', async () => {
    const backend = await start({ loadedModel: KING });
    const { status, json } = await call(`${backend.url}/predictions/job-1`, 'PUT', { input: input({ model: KING }) });
    expect(status).toBe(200);
    expect(json).toMatchObject({ id: 'job-1', status: 'succeeded', model: KING, input: { model: KING } });
    // A job that names no model is for whatever is loaded; the answer still says what rendered.
    const unnamed = await call(`${backend.url}/predictions`, 'POST', { input: input() });
    expect(unnamed.json).toMatchObject({ status: 'succeeded', model: KING });
  });

  it.each([
    ['another model', { loadedModel: KING }, OTHER, KING, 'this backend serves leoma/wan2.2-i2v-a14b-diffusers@sha256:79e4'],
    [
      'another digest of the same repo',
      { loadedModel: KING },
      { ...KING, digest: `sha256:${'0'.repeat(64)}` },
      KING,
      'not leoma/wan2.2-i2v-a14b-diffusers@sha256:0000',
    ],
    ['any model, when none is loaded', {}, KING, null, 'no model loaded'],
  ])('refuses a job for %s with 422 model_not_loaded and renders nothing', async (_, opts, asked, loaded, msg) => {
    const backend = await start(opts);
    const { status, json } = await call(`${backend.url}/predictions/job-2`, 'PUT', { input: input({ model: asked }) });
    expect(status).toBe(422);
    expect(json).toEqual({ detail: [{ loc: ['body', 'input', 'model'], msg: expect.stringContaining(msg), type: 'model_not_loaded' }], loaded });
    expect(backend.stats()).toMatchObject({ started: 0, refusedModel: 1 });
    // The same refusal on the generate protocol, where the model is a top-level field.
    const res = await fetch(`${backend.url}/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'p', image: png, fps: 8, frames: 4, resolution: '64x48', model: asked }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ detail: [{ loc: ['body', 'input', 'model'], type: 'model_not_loaded' }], loaded });
    expect(backend.stats().started).toBe(0);
  });

  it('attests the model on /generate in the Leoma-Model-* headers, and sends none without a model', async () => {
    const king = await start({ loadedModel: KING });
    const body = { prompt: 'p', image: png, fps: 8, frames: 4, resolution: '64x48', seed: 3, model: KING };
    const res = await fetch(`${king.url}/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'gen-1' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('leoma-model-repo')).toBe(KING.repo);
    expect(res.headers.get('leoma-model-digest')).toBe(KING.digest);
    expect(king.stats().lastInput).toMatchObject({ seed: 3, model: KING, num_frames: 4 });
    const file = join(dir, 'generate.mp4');
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    expect(await probeVideo(file)).toMatchObject({ width: 64, height: 48, frames: 4 });

    const legacy = await start();
    const { model: _model, ...unnamed } = body;
    const plain = await fetch(`${legacy.url}/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(unnamed) });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('leoma-model-repo')).toBeNull();
    expect(plain.headers.get('leoma-model-digest')).toBeNull();
    expect((await call(`${legacy.url}/predictions`, 'POST', { input: input() })).json).toMatchObject({ status: 'succeeded', model: null });
  });

  it('answers a malformed model with a 422 on the field, not model_not_loaded', async () => {
    const backend = await start({ loadedModel: KING });
    for (const model of [
      { repo: KING.repo, digest: 'sha256:xyz' },
      { repo: KING.repo, digest: `hf:${'a'.repeat(39)}` },
      { repo: '', digest: KING.digest },
      { repo: KING.repo },
      'leoma/x@hf:1',
    ]) {
      const { status, json } = await call(`${backend.url}/predictions`, 'POST', { input: input({ model }) });
      expect(status, JSON.stringify(model)).toBe(422);
      expect(json.detail[0].loc.slice(0, 3), JSON.stringify(model)).toEqual(['body', 'input', 'model']);
      expect(json.detail[0].type).not.toBe('model_not_loaded');
    }
    expect(backend.stats().started).toBe(0);
    // Keys beyond repo and digest are not this server's business: dropped, the job served.
    const extra = await call(`${backend.url}/predictions`, 'POST', { input: input({ model: { ...KING, revision: 'main' } }) });
    expect(extra.json).toMatchObject({ status: 'succeeded', model: KING });
  });

  it('parses --model repo@digest and refuses a malformed one', () => {
    expect(parseModelArg(`${KING.repo}@${KING.digest}`)).toEqual(KING);
    expect(parseModelArg(`${OTHER.repo}@${OTHER.digest}`)).toEqual(OTHER);
    for (const bad of ['leoma/wan', 'leoma/wan@', `@${KING.digest}`, 'leoma/wan@main', `leoma/wan@sha256:${'A'.repeat(64)}`]) {
      expect(() => parseModelArg(bad), bad).toThrow(/--model must be <repo>@/);
    }
  });
});

describe('the GPU server starting up', () => {
  it('is STARTING with fetch progress until the weights are there, refusing work, then READY with cache use', async () => {
    const snapshot = join(dir, 'snapshot');
    await mkdir(join(snapshot, 'transformer'), { recursive: true });
    await writeFile(join(snapshot, 'model_index.json'), '{"_class_name":"WanImageToVideoPipeline"}');
    await writeFile(join(snapshot, 'transformer', 'diffusion_pytorch_model.safetensors'), Buffer.alloc(4096, 1));
    const local = localWeightSource(snapshot);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetched: string[] = [];
    // The seam as the weights fetcher fills it: progress first, the snapshot directory at the end.
    const slow: WeightSource = {
      async fetch(model, onProgress: (p: FetchProgress) => void, signal) {
        fetched.push(`${model.repo}@${model.digest}`);
        onProgress({ bytesDone: 1000, bytesTotal: 4096 });
        await gate;
        return local.fetch(model, onProgress, signal);
      },
      cacheUsage: () => local.cacheUsage(),
    };
    const backend = await start({ loadedModel: KING, weights: slow }, false);
    await expect
      .poll(async () => (await call(`${backend.url}/health-check`, 'GET')).json.progress)
      .toEqual({ phase: 'fetching', bytes_done: 1000, bytes_total: 4096, detail: `${KING.repo}@${KING.digest}` });
    const starting = await call(`${backend.url}/health-check`, 'GET');
    expect(starting.json).toMatchObject({ status: 'STARTING', setup: { status: 'starting', completed_at: null }, model: KING });
    const refused = await call(`${backend.url}/predictions`, 'POST', { input: input({ model: KING }) });
    expect(refused.status).toBe(503);
    expect(refused.json.detail).toContain('STARTING (fetching)');
    release();
    await backend.ready;
    const ready = (await call(`${backend.url}/health-check`, 'GET')).json;
    expect(ready).toMatchObject({
      status: 'READY',
      progress: { phase: 'ready', bytes_done: 4096 + 41, bytes_total: 4096 + 41 },
      cache: { used_bytes: 4096 + 41, free_bytes: expect.any(Number) },
    });
    expect(ready.setup.logs).toMatch(/fetching[\s\S]*loading[\s\S]*warming[\s\S]*ready/);
    expect(fetched).toEqual([`${KING.repo}@${KING.digest}`]);
    expect((await call(`${backend.url}/predictions`, 'POST', { input: input({ model: KING }) })).json).toMatchObject({ status: 'succeeded', model: KING });

    const metrics = await (await fetch(`${backend.url}/metrics`)).text();
    expect(metrics).toMatch(/^leoma_gpu_cold_start_seconds\{phase="fetch"\} [\d.e-]+$/m);
    expect(metrics).toMatch(/^leoma_gpu_cold_start_seconds\{phase="load"\} /m);
    expect(metrics).toMatch(/^leoma_gpu_cold_start_seconds\{phase="warmup"\} /m);
    expect(metrics).toMatch(/^leoma_gpu_weights_bytes_fetched_total 4137$/m);
    expect(metrics).toMatch(/^leoma_gpu_cache_bytes\{kind="used"\} 4137$/m);
    expect(metrics).toMatch(/^leoma_gpu_generation_seconds_count\{renderer="test-card",outcome="succeeded"\} 1$/m);
  });

  it('ends SETUP_FAILED, saying why, when the weights cannot be had', async () => {
    const backend = await start({ loadedModel: KING, weights: localWeightSource(join(dir, 'no-such-snapshot')) });
    const { json } = await call(`${backend.url}/health-check`, 'GET');
    expect(json).toMatchObject({
      status: 'SETUP_FAILED',
      setup: { status: 'failed', completed_at: expect.any(String) },
      progress: { phase: 'failed', detail: expect.stringContaining('no-such-snapshot') },
    });
    const refused = await call(`${backend.url}/predictions`, 'POST', { input: input() });
    expect(refused.status).toBe(503);
    expect(refused.json.detail).toContain('SETUP_FAILED');
  });
});
