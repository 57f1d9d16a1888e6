import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../src/platform/media/ffprobe.js';
import { startGpuServer, type ReferenceBackend, type ReferenceBackendOptions } from '../../gpu/server/server.js';
import { wanRenderer, type Placement } from '../../gpu/server/wan-renderer.js';
import { localWeightSource } from '../../gpu/server/weight-source.js';

// The Wan 2.2 renderer end to end inside the GPU server: the real server, the real Python worker
// under Debian's python3, real ffmpeg; only torch and diffusers are stand-ins (test/fixtures/
// wan-standin), which record the exact call and render real frames.
const PYTHON = '/usr/bin/python3';
const STANDIN = resolve('test/fixtures/wan-standin');
const KING = { repo: 'leoma/wan2.2-i2v-a14b-diffusers', digest: 'sha256:79e4cc89edd935e8ea843ae2bd80fb85d3444128bb946990109a33ffafb2184e' };
const WAN = { width: 832, height: 480, fps: 16, num_frames: 81, duration_seconds: 81 / 16 };

let dir: string;
let snapshot: string;
let png: string;
const servers: ReferenceBackend[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leoma-gpu-worker-test-'));
  snapshot = join(dir, 'snapshot');
  await mkdir(snapshot);
  await writeFile(join(snapshot, 'model_index.json'), JSON.stringify({ _class_name: 'WanImageToVideoPipeline' }));
  const file = join(dir, 'input.png');
  // Not 832x480 and not RGB: the worker must convert and resize it as the validators do.
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x240', '-frames:v', '1', '-pix_fmt', 'rgba', '-y', file]);
  png = (await readFile(file)).toString('base64');
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Started {
  server: ReferenceBackend;
  record: () => Promise<Record<string, any>[]>;
}

async function startWan(
  opts: { placement?: Placement; stepSeconds?: number; snapshotDir?: string; cancelGraceMs?: number } & Partial<ReferenceBackendOptions> = {},
): Promise<Started> {
  const recordFile = join(dir, `record-${Math.random().toString(36).slice(2)}.jsonl`);
  const { placement, stepSeconds, snapshotDir, cancelGraceMs, ...rest } = opts;
  const renderer = wanRenderer({
    placement: placement ?? 'none',
    python: PYTHON,
    pythonPath: [STANDIN],
    env: {
      PYTHONDONTWRITEBYTECODE: '1',
      LEOMA_STANDIN_RECORD: recordFile,
      LEOMA_STANDIN_STEP_SECONDS: String(stepSeconds ?? 0),
      LEOMA_STANDIN_PEAK_VRAM: '41000000000',
    },
    restartDelayMs: 100,
    cancelGraceMs,
  });
  const server = await startGpuServer({ port: 0, loadedModel: KING, renderer, weights: localWeightSource(snapshotDir ?? snapshot), warmUp: null, ...rest });
  servers.push(server);
  await server.ready;
  const record = async () =>
    (await readFile(recordFile, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, any>);
  return { server, record };
}

const input = (extra: Record<string, unknown> = {}) => ({
  image: `data:image/png;base64,${png}`,
  prompt: 'a fox runs through snow',
  seed: 1234,
  model: KING,
  ...WAN,
  ...extra,
});

async function call(url: string, method: string, body?: unknown) {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

async function health(server: ReferenceBackend): Promise<string> {
  return (await call(`${server.url}/health-check`, 'GET')).json.status as string;
}

describe('the Wan 2.2 renderer (Python worker, stand-in torch/diffusers)', () => {
  it("makes the validators' exact call and returns an H.264 MP4 of 81 frames at 16 fps, 832x480", async () => {
    const { server, record } = await startWan();
    expect(await server.health()).toMatchObject({ status: 'READY', renderer: 'wan2.2', model: KING, progress: { phase: 'ready' } });
    const { status, json } = await call(`${server.url}/predictions/wan-1`, 'PUT', { input: input() });
    expect(status, JSON.stringify(json).slice(0, 500)).toBe(200);
    expect(json).toMatchObject({ id: 'wan-1', status: 'succeeded', model: KING });
    const mp4 = join(dir, 'wan-1.mp4');
    await writeFile(mp4, Buffer.from((json.output as string).split(',')[1]!, 'base64'));
    expect(await probeVideo(mp4)).toMatchObject({ codec: 'h264', width: 832, height: 480, fps: 16, frames: 81 });

    const calls = await record();
    expect(calls.map((c) => c.call)).toEqual(['from_pretrained', 'to', '__call__', 'steps']);
    const [load, to, call_, steps] = calls as [Record<string, any>, Record<string, any>, Record<string, any>, Record<string, any>];
    expect(load).toMatchObject({ path: snapshot, kwargs: { torch_dtype: 'torch.bfloat16' } });
    expect(Object.keys(load.kwargs)).toEqual(['torch_dtype']);
    expect(to.device).toBe('cuda');
    // Every argument of the judged call, and nothing else but the step callback (no guidance_scale_2).
    expect(call_.kwargs).toEqual({
      prompt: 'a fox runs through snow',
      negative_prompt: 'low quality, blurry, distorted',
      height: 480,
      width: 832,
      num_frames: 81,
      num_inference_steps: 30,
      guidance_scale: 5.0,
      output_type: 'np',
    });
    expect(call_.callback).toBe(true);
    expect(call_.image).toEqual({ mode: 'RGB', size: [832, 480], type: 'PIL.Image.Image' });
    expect(call_.generator).toEqual({ device: 'cuda:0', seed: 1234, type: 'Generator' });
    expect(call_.flags).toEqual({
      inference_mode: true,
      deterministic_algorithms: true,
      deterministic_warn_only: true,
      cudnn_benchmark: false,
      cudnn_deterministic: true,
      cudnn_allow_tf32: false,
      matmul_allow_tf32: false,
      cublas_workspace_config: ':4096:8',
      peak_resets: 1,
    });
    // The flags were set before the weights were loaded, and the CUDA workspace before torch started.
    expect(load.flags).toMatchObject({ deterministic_algorithms: true, cublas_workspace_config: ':4096:8', inference_mode: false });
    expect(steps).toEqual({ call: 'steps', run: 30, interrupted: false });
    expect(server.stats().lastStep).toEqual({ id: 'wan-1', step: 30, total: 30 });
  });

  it('with model placement uses model CPU offload and seeds the generator on the execution device; passes a given negative prompt', async () => {
    const { server, record } = await startWan({ placement: 'model' });
    const { status } = await call(`${server.url}/predictions`, 'POST', { input: input({ seed: 7, negative_prompt: 'text, watermark' }) });
    expect(status).toBe(200);
    const calls = await record();
    expect(calls.map((c) => c.call)).toEqual(['from_pretrained', 'enable_model_cpu_offload', '__call__', 'steps']);
    const generation = calls[2]!;
    expect(generation.placement).toEqual({ device: 'cpu', offloaded: true });
    expect(generation.generator).toMatchObject({ device: 'cuda:0', seed: 7 });
    expect(generation.kwargs.negative_prompt).toBe('text, watermark');
  });

  it('warms up with one full generation before READY, reporting the warming phase', async () => {
    const { server, record } = await startWan({ warmUp: undefined });
    const warm = (await record()).filter((c) => c.call === '__call__');
    expect(warm).toHaveLength(1);
    expect(warm[0]!.kwargs).toMatchObject({ width: 832, height: 480, num_frames: 81 });
    expect((await server.health()).setup.logs).toMatch(/loading[\s\S]*warming[\s\S]*ready/);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^leoma_gpu_cold_start_seconds\{phase="warmup"\} [\d.]+/m);
  });

  it('cancels between denoising steps: the pipeline is interrupted, the prediction ends canceled, the next job runs', async () => {
    const { server, record } = await startWan({ stepSeconds: 0.1 });
    const running = call(`${server.url}/predictions/to-cancel`, 'PUT', { input: input() });
    await expect.poll(() => server.stats().lastStep?.step ?? 0, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    expect((await call(`${server.url}/predictions/to-cancel/cancel`, 'POST')).status).toBe(200);
    const { json } = await running;
    expect(json.status).toBe('canceled');
    const steps = (await record()).find((c) => c.call === 'steps')!;
    expect(steps.interrupted).toBe(true);
    expect(steps.run).toBeLessThan(30);
    expect(await health(server)).toBe('READY');
    server.stats();
    const next = await call(`${server.url}/predictions/after-cancel`, 'PUT', { input: input({ seed: 9 }) });
    expect(next.json.status).toBe('succeeded');
  });

  it('kills a worker deaf to a cancel after the grace period, restarts it, and serves the next job', async () => {
    const { server, record } = await startWan({ cancelGraceMs: 300 });
    const running = call(`${server.url}/predictions/stuck`, 'PUT', { input: input({ prompt: 'standin:hang' }) });
    await expect.poll(async () => (await record()).some((c) => c.call === '__call__'), { timeout: 20_000 }).toBe(true);
    const canceledAt = performance.now();
    expect((await call(`${server.url}/predictions/stuck/cancel`, 'POST')).status).toBe(200);
    expect((await running).json.status).toBe('canceled');
    // Well before the stand-in's minute-long step would have ended.
    expect(performance.now() - canceledAt).toBeLessThan(20_000);
    await expect.poll(() => health(server), { timeout: 30_000 }).toBe('READY');
    expect((await call(`${server.url}/predictions/after-stuck`, 'PUT', { input: input() })).json.status).toBe('succeeded');
    expect((await record()).filter((c) => c.call === 'from_pretrained')).toHaveLength(2);
  });

  it.each([
    ['crashes', 'standin:crash', /the Wan worker exited \(code 17\).*during this generation; the worker is being restarted/],
    [
      'poisons its CUDA context',
      'standin:cuda-poison',
      /GPU context is poisoned \(RuntimeError: CUDA error: an illegal memory access was encountered\); the worker is being restarted/,
    ],
  ])('a worker that %s fails the job in flight clearly, goes DEFUNCT, is restarted and serves the next job', async (_, prompt, error) => {
    const { server, record } = await startWan({ stepSeconds: 0.05 });
    const { status, json } = await call(`${server.url}/predictions/doomed`, 'PUT', { input: input({ prompt }) });
    expect(status).toBe(500);
    expect(json).toMatchObject({ status: 'failed', error: expect.stringMatching(error) });
    // Nothing is accepted until the worker is back: the API sends the video elsewhere.
    const meanwhile = await call(`${server.url}/predictions/meanwhile`, 'PUT', { input: input() });
    if (meanwhile.status !== 200) {
      expect(meanwhile.status).toBe(503);
      expect(meanwhile.json.detail).toContain('DEFUNCT');
    }
    await expect.poll(() => health(server), { timeout: 30_000 }).toBe('READY');
    // The server went DEFUNCT and came back, as its setup log says (a health poll can miss a short
    // DEFUNCT when the new worker starts fast).
    const { json: answer } = await call(`${server.url}/health-check`, 'GET');
    expect(answer.setup.logs).toMatch(/defunct: [^\n]*\n(.*\n)*.*recovered/);
    const next = await call(`${server.url}/predictions/next`, 'PUT', { input: input({ seed: 5 }) });
    expect(next.json).toMatchObject({ status: 'succeeded', model: KING });
    // The new worker loaded the same snapshot again.
    expect((await record()).filter((c) => c.call === 'from_pretrained').map((c) => c.path)).toEqual([snapshot, snapshot]);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/^leoma_gpu_worker_restarts_total 1$/m);
  });

  it('refuses what Wan 2.2 does not render (another size or length, an undecodable image) with a 422, rendering nothing', async () => {
    const { server, record } = await startWan();
    const size = await call(`${server.url}/predictions`, 'POST', { input: input({ width: 1280, height: 720 }) });
    expect(size.status).toBe(422);
    expect(size.json.detail[0]).toMatchObject({ loc: ['body', 'input', 'width'], msg: expect.stringContaining('832x480, 81 frames at 16 fps') });
    const frames = await call(`${server.url}/predictions`, 'POST', { input: input({ num_frames: 49 }) });
    expect(frames.json.detail[0].loc).toEqual(['body', 'input', 'num_frames']);
    const image = await call(`${server.url}/predictions`, 'POST', {
      input: input({ image: `data:image/png;base64,${Buffer.from('not an image at all').toString('base64')}` }),
    });
    expect(image.status).toBe(422);
    expect(image.json.detail[0]).toMatchObject({ loc: ['body', 'input', 'image'], msg: expect.stringContaining('cannot be decoded') });
    expect((await record()).filter((c) => c.call === '__call__')).toEqual([]);
    expect(await health(server)).toBe('READY');
  });

  it("ends SETUP_FAILED, with the loader's reason, when the snapshot does not load", async () => {
    const empty = join(dir, 'empty-snapshot');
    await mkdir(empty, { recursive: true });
    const { server } = await startWan({ snapshotDir: empty });
    const answer = await server.health();
    expect(answer).toMatchObject({ status: 'SETUP_FAILED', progress: { phase: 'failed', detail: expect.stringContaining('model_index.json') } });
  });
});
