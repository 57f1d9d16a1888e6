import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../src/platform/media/ffprobe.js';
import { validateVideo, validateVideoFile } from '../../src/platform/media/video-validation.js';
import { ADAPTERS } from '../../src/backends/adapters/adapters.js';
import type { BackendTarget } from '../../src/backends/gpu-backend.entity.js';
import { startReferenceBackend, type ReferenceBackend, type ReferenceBackendOptions } from '../../gpu/server/server.js';

let dir: string;
let pngDataUri: string;
const backends: ReferenceBackend[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leoma-refbackend-test-'));
  const png = join(dir, 'input.png');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x240', '-frames:v', '1', '-y', png]);
  pngDataUri = `data:image/png;base64,${(await readFile(png)).toString('base64')}`;
});

afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function start(opts: ReferenceBackendOptions = {}): Promise<ReferenceBackend> {
  const backend = await startReferenceBackend({ port: 0, ...opts });
  backends.push(backend);
  return backend;
}

function input(overrides: Record<string, unknown> = {}) {
  return { image: pngDataUri, prompt: 'a slow push-in', duration_seconds: 2, fps: 24, width: 640, height: 360, ...overrides };
}

async function call(url: string, method: string, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

async function writeOutput(output: string, name: string): Promise<string> {
  expect(output.startsWith('data:video/mp4;base64,')).toBe(true);
  const file = join(dir, name);
  await writeFile(file, Buffer.from(output.slice(output.indexOf(',') + 1), 'base64'));
  return file;
}

describe('reference backend', () => {
  it('reports READY on the health check', async () => {
    const { url } = await start();
    const { status, json } = await call(`${url}/health-check`, 'GET');
    expect(status).toBe(200);
    expect(json).toMatchObject({ status: 'READY', setup: { status: 'succeeded' } });
  });

  it('renders an H.264 MP4 of the requested duration and size', async () => {
    const { url } = await start();
    const { status, json } = await call(`${url}/predictions`, 'POST', { input: input({ camera: 'zoom_in' }) });
    expect(status).toBe(200);
    expect(json).toMatchObject({ status: 'succeeded', input: { camera: 'zoom_in' }, metrics: {} });
    expect(typeof json.id).toBe('string');
    expect(json.metrics.predict_time).toBeGreaterThan(0);

    const file = await writeOutput(json.output, 'zoom-in.mp4');
    const probe = await probeVideo(file);
    expect(probe).toMatchObject({ codec: 'h264', width: 640, height: 360, fps: 24 });
    expect(probe.container.split(',')).toContain('mp4');
    expect(probe.durationSeconds).toBeCloseTo(2, 2);
    expect(probe.frames).toBe(48);
    expect(validateVideo(probe, { width: 640, height: 360, fps: 24, frames: 48 })).toEqual({ ok: true });
  });

  it('renders every camera move via idempotent PUT, echoing the id', async () => {
    const { url } = await start();
    for (const camera of ['static', 'zoom_out', 'pan_left', 'pan_right', 'pan_up', 'pan_down', 'orbit']) {
      const id = `pred-${camera.replace('_', '-')}`;
      const spec = { duration_seconds: 1, fps: 12, width: 320, height: 240 };
      const { status, json } = await call(`${url}/predictions/${id}`, 'PUT', { input: input({ ...spec, camera, seed: 7 }) });
      expect(status, camera).toBe(200);
      expect(json.id).toBe(id);
      const result = await validateVideoFile(await writeOutput(json.output, `${id}.mp4`), { width: 320, height: 240, fps: 12, frames: 12 });
      expect(result, camera).toEqual({ ok: true });
    }
  });

  it('renders like Wan 2.2 when asked like Wan 2.2: 832×480, 16 fps, exactly num_frames frames', async () => {
    const { url } = await start();
    const { status, json } = await call(`${url}/predictions`, 'POST', {
      input: input({ width: 832, height: 480, fps: 16, duration_seconds: 81 / 16, num_frames: 81, negative_prompt: 'blur' }),
    });
    expect(status).toBe(200);
    const probe = await probeVideo(await writeOutput(json.output, 'wan.mp4'));
    expect(probe).toMatchObject({ width: 832, height: 480, fps: 16, frames: 81 });
  });

  it('with renderSize, renders that size whatever is asked (a model with the wrong size)', async () => {
    const backend = await start({ renderSize: { width: 854, height: 480 } });
    const { json } = await call(`${backend.url}/predictions`, 'POST', {
      input: input({ width: 832, height: 480, fps: 16, duration_seconds: 1, num_frames: 17 }),
    });
    const file = await writeOutput(json.output, 'wrong-size.mp4');
    expect(await probeVideo(file)).toMatchObject({ width: 854, height: 480, frames: 17 });
    expect(await validateVideoFile(file, { width: 832, height: 480, fps: 16, frames: 17 })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('854x480'),
    });
  });

  it('/generate passes frames and the negative prompt on to the model', async () => {
    const backend = await start();
    const image = pngDataUri.slice(pngDataUri.indexOf(',') + 1);
    const res = await fetch(`${backend.url}/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'p', negative_prompt: 'text, watermark', image, fps: 16, frames: 17, resolution: '480x832' }),
    });
    expect(res.status).toBe(200);
    expect(backend.stats().lastInput).toMatchObject({ prompt: 'p', negative_prompt: 'text, watermark', num_frames: 17, fps: 16, width: 480, height: 832 });
    const file = join(dir, 'generate.mp4');
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    expect(await probeVideo(file)).toMatchObject({ width: 480, height: 832, fps: 16, frames: 17 });
  });

  it.each(['cog', 'generate'] as const)('the %s adapter sends the negative prompt and the frame count the model renders', async (protocol) => {
    const backend = await start();
    const target: BackendTarget = {
      id: 'b',
      url: backend.url,
      protocol,
      model: 'acme/wan',
      modelRevision: null,
      maxConcurrency: 1,
      authHeader: null,
      source: 'config',
    };
    const png = Buffer.from(pngDataUri.slice(pngDataUri.indexOf(',') + 1), 'base64');
    const mp4 = await ADAPTERS[protocol].generate(
      target,
      {
        predictionId: `p-${protocol}`,
        prompt: 'p',
        negativePrompt: 'low quality',
        image: png,
        imageType: 'image/png',
        width: 480,
        height: 832,
        fps: 16,
        frames: 21,
      },
      { signal: new AbortController().signal, timeoutMs: 30_000, maxBytes: 10 * 1024 * 1024, outputDir: dir },
    );
    expect(backend.stats().lastInput).toMatchObject({ negative_prompt: 'low quality', num_frames: 21, fps: 16, width: 480, height: 832 });
    try {
      expect(await probeVideo(mp4.path)).toMatchObject({ width: 480, height: 832, fps: 16, frames: 21 });
    } finally {
      await mp4.dispose();
    }
  });

  it('answers 409 and BUSY when busy', async () => {
    const { url } = await start({ busy: true });
    expect((await call(`${url}/health-check`, 'GET')).json.status).toBe('BUSY');
    expect((await call(`${url}/predictions`, 'POST', { input: input() })).status).toBe(409);
  });

  it('answers 409 at max concurrency and cancels a running prediction', async () => {
    const { url } = await start({ delayMs: 5000, maxConcurrency: 1 });
    const first = call(`${url}/predictions/slow-one`, 'PUT', { input: input() });
    await expect.poll(async () => (await call(`${url}/health-check`, 'GET')).json.status).toBe('BUSY');
    expect((await call(`${url}/predictions`, 'POST', { input: input() })).status).toBe(409);

    expect((await call(`${url}/predictions/slow-one/cancel`, 'POST')).status).toBe(200);
    expect((await first).json.status).toBe('canceled');
    expect((await call(`${url}/predictions/unknown/cancel`, 'POST')).status).toBe(404);
    expect((await call(`${url}/health-check`, 'GET')).json.status).toBe('READY');
  });

  it('abandons a delayed prediction when the client disconnects', async () => {
    const { url } = await start({ delayMs: 10_000 });
    const request = fetch(`${url}/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: input() }),
      signal: AbortSignal.timeout(300),
    });
    await expect(request).rejects.toThrow();
    await expect.poll(async () => (await call(`${url}/health-check`, 'GET')).json.status, { timeout: 2000 }).toBe('READY');
  });

  it('returns garbage that fails validation as output_invalid', async () => {
    const { url } = await start({ garbage: true });
    const { status, json } = await call(`${url}/predictions`, 'POST', { input: input() });
    expect(status).toBe(200);
    expect(json.status).toBe('succeeded');
    const result = await validateVideoFile(await writeOutput(json.output, 'garbage.mp4'), { width: 640, height: 360, fps: 24, frames: 48 });
    expect(result).toMatchObject({ ok: false, code: 'output_invalid' });
  });

  it('answers 413 above the body cap', async () => {
    const { url } = await start({ maxBodyBytes: 64 * 1024 });
    const big = input({ image: `data:image/png;base64,${'A'.repeat(100 * 1024)}` });
    const { status } = await call(`${url}/predictions`, 'POST', big);
    expect(status).toBe(413);
    // The connection-level rejection must not affect later requests.
    expect((await call(`${url}/health-check`, 'GET')).status).toBe(200);
  });

  it('refuses an image URL that streams past the image cap with a 422 on input.image', async () => {
    const huge = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(1024 * 1024);
      let sent = 0;
      const pump = (): void => {
        while (sent < 40 && res.write(chunk)) sent++;
        if (sent >= 40) res.end();
        else res.once('drain', pump);
      };
      pump();
    });
    await new Promise<void>((resolve) => huge.listen(0, '127.0.0.1', resolve));
    try {
      const backend = await start();
      const { port } = huge.address() as AddressInfo;
      const { status, json } = await call(`${backend.url}/predictions`, 'POST', { input: input({ image: `http://127.0.0.1:${port}/huge.png` }) });
      expect(status).toBe(422);
      expect(json.detail[0]).toMatchObject({ loc: ['body', 'input', 'image'], msg: expect.stringContaining('exceeds') });
    } finally {
      huge.closeAllConnections();
      await new Promise((resolve) => huge.close(resolve));
    }
  });

  it('answers 422 with Cog-style details for bad input', async () => {
    const { url } = await start();
    const bad = await call(`${url}/predictions`, 'POST', { input: input({ width: 641, camera: 'dolly_zoom' }) });
    expect(bad.status).toBe(422);
    const locs = (bad.json.detail as { loc: string[] }[]).map((d) => d.loc.join('.'));
    expect(locs).toEqual(expect.arrayContaining(['body.input.width', 'body.input.camera']));

    expect((await call(`${url}/predictions`, 'POST', '{not json')).status).toBe(422);
    expect((await call(`${url}/predictions/has%20space`, 'PUT', { input: input() })).status).toBe(422);
    const notImage = await call(`${url}/predictions`, 'POST', {
      input: input({ image: `data:image/png;base64,${Buffer.from('hello').toString('base64')}` }),
    });
    expect(notImage.status).toBe(422);
    expect(notImage.json.detail[0].loc).toEqual(['body', 'input', 'image']);
  });

  it('fails at failRate and recovers once reconfigured', async () => {
    const backend = await start({ failRate: 1 });
    const failed = await call(`${backend.url}/predictions`, 'POST', { input: input({ duration_seconds: 0.5 }) });
    expect(failed.status).toBe(500);
    expect(failed.json).toMatchObject({ status: 'failed', error: expect.any(String) });
    backend.configure({ failRate: 0 });
    expect((await call(`${backend.url}/predictions`, 'POST', { input: input({ duration_seconds: 0.5 }) })).status).toBe(200);
  });

  it('stops listening after close', async () => {
    const backend = await startReferenceBackend({ port: 0 });
    await call(`${backend.url}/health-check`, 'GET');
    await backend.close();
    await expect(fetch(`${backend.url}/health-check`)).rejects.toThrow();
  });
});

describe('validateVideo', () => {
  // Wan 2.2's 720p output: 81 frames at 16 fps.
  const probe = { container: 'mov,mp4,m4a,3gp,3g2,mj2', codec: 'h264', durationSeconds: 5.0625, width: 1280, height: 720, fps: 16, frames: 81 };
  const expected = { width: 1280, height: 720, fps: 16, frames: 81 };

  it('accepts a matching probe, one frame either way', () => {
    expect(validateVideo(probe, expected)).toEqual({ ok: true });
    expect(validateVideo({ ...probe, frames: 80 }, expected)).toEqual({ ok: true });
    expect(validateVideo({ ...probe, frames: 82 }, expected)).toEqual({ ok: true });
  });

  it.each([
    ['container', { container: 'matroska,webm' }],
    ['codec', { codec: 'hevc' }],
    ['size', { width: 1920 }],
    ["size not on the model's grid (854×480 for 832×480)", { width: 854, height: 480 }],
    ['frame rate', { fps: 24 }],
    ['frame count', { frames: 79 }],
  ])('rejects a wrong %s as output_invalid', (_, change) => {
    expect(validateVideo({ ...probe, ...change }, expected)).toMatchObject({ ok: false, code: 'output_invalid' });
  });

  it('reports a missing file as output_invalid', async () => {
    const result = await validateVideoFile(join(dir, 'does-not-exist.mp4'), expected);
    expect(result).toMatchObject({ ok: false, code: 'output_invalid' });
  });
});
