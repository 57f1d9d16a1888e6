import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCogPrediction } from '../../src/backends/gpu/cog-client.js';
import { runGenerate } from '../../src/backends/gpu/generate-client.js';
import { ModelNotLoaded } from '../../src/backends/gpu/model-identity.js';

// Backends that lie: answers we must never take as the output of the job we sent.
let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function backend(status: number, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, headers).end(body));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const input = { image: 'data:image/png;base64,AAAA', prompt: 'p', duration_seconds: 17 / 16, num_frames: 17, fps: 16, width: 64, height: 64 };
const opts = { timeoutMs: 5_000, maxBytes: 1024 * 1024 };
const mp4 = 'data:video/mp4;base64,AAAAIGZ0eXBpc29t';

describe('backend answers that are not ours', () => {
  it('rejects a Cog prediction answered for another id', async () => {
    const url = await backend(200, JSON.stringify({ id: 'someone-else', status: 'succeeded', output: mp4 }));
    await expect(runCogPrediction(url, 'vid_1-1-1', input, opts)).rejects.toMatchObject({ code: 'output_invalid' });
  });

  it('rejects a Cog prediction without an id', async () => {
    const url = await backend(200, JSON.stringify({ status: 'succeeded', output: mp4 }));
    await expect(runCogPrediction(url, 'vid_1-1-1', input, opts)).rejects.toMatchObject({ code: 'output_invalid' });
  });

  it('accepts the same answer when it names our id', async () => {
    const url = await backend(200, JSON.stringify({ id: 'vid_1-1-1', status: 'succeeded', output: mp4 }));
    const output = await runCogPrediction(url, 'vid_1-1-1', input, opts);
    expect(await readFile(output.path)).toEqual(Buffer.from(mp4.slice(mp4.indexOf(',') + 1), 'base64'));
    await output.dispose();
  });

  it('rejects /generate bytes echoed for another request id, or not declared as video', async () => {
    const body = { prompt: 'p', image: 'AAAA', fps: 24, frames: 24, resolution: '64x64' };
    const other = await backend(200, 'bytes', { 'content-type': 'video/mp4', 'x-request-id': 'other' });
    await expect(runGenerate(other, 'mine', body, opts)).rejects.toMatchObject({ code: 'output_invalid' });
    await new Promise<void>((r) => server!.close(() => r()));
    const html = await backend(200, '<html>', { 'content-type': 'text/html' });
    await expect(runGenerate(html, 'mine', body, opts)).rejects.toMatchObject({ code: 'output_invalid' });
  });

  it('classifies 409 as busy, 401 as unavailable and 422 as a rejected input', async () => {
    for (const [status, code, retriable] of [
      [409, 'backend_busy', true],
      [401, 'backend_unavailable', true],
      [422, 'generation_failed', false],
    ] as const) {
      const url = await backend(status, '{}');
      await expect(runCogPrediction(url, 'x', input, opts)).rejects.toMatchObject({ code, retriable });
      await new Promise<void>((r) => server!.close(() => r()));
      server = undefined;
    }
  });
});

describe('the GPU contract: the model a job names, the model an answer attests', () => {
  const king = { repo: 'kingmaker/leoma-wan22', digest: `sha256:${'ab'.repeat(32)}` };
  const other = { repo: 'kingmaker/leoma-wan22', digest: `hf:${'cd'.repeat(20)}` };
  const refusal = JSON.stringify({ detail: [{ loc: ['body', 'input', 'model'], msg: `loaded ${other.digest}`, type: 'model_not_loaded' }], loaded: other });
  const close = () => new Promise<void>((r) => (server ? server.close(() => r()) : r())).then(() => void (server = undefined));

  it('sends input.model (Cog) and body.model (/generate)', async () => {
    const seen: unknown[] = [];
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push(JSON.parse(Buffer.concat(chunks).toString()));
        if (req.url === '/generate') res.writeHead(200, { 'content-type': 'video/mp4' }).end('bytes');
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'x', status: 'succeeded', output: mp4, model: king }));
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await (await runCogPrediction(url, 'x', { ...input, model: king }, opts)).dispose();
    await (await runGenerate(url, 'x', { prompt: 'p', image: 'AAAA', fps: 16, frames: 17, resolution: '64x64', model: king }, opts)).dispose();
    expect(seen).toMatchObject([{ input: { model: king } }, { model: king }]);
  });

  it('reads a 422 model_not_loaded (Cog and /generate) as a refusal, not a rejected input', async () => {
    for (const call of [
      (url: string) => runCogPrediction(url, 'x', { ...input, model: king }, opts),
      (url: string) => runGenerate(url, 'x', { prompt: 'p', image: 'AAAA', fps: 16, frames: 17, resolution: '64x64', model: king }, opts),
    ]) {
      const err = await call(await backend(422, refusal)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelNotLoaded);
      expect(err).toMatchObject({ loaded: other });
      await close();
    }
    // Any other 422 is still the input's fault.
    const url = await backend(422, JSON.stringify({ detail: [{ loc: ['body', 'input', 'width'], msg: 'too wide', type: 'too_big' }] }));
    await expect(runCogPrediction(url, 'x', input, opts)).rejects.toMatchObject({ code: 'generation_failed', retriable: false });
  });

  it('returns the attested model of a Cog answer and of /generate headers; null when none is named', async () => {
    const attests = await backend(200, JSON.stringify({ id: 'x', status: 'succeeded', output: mp4, model: king }));
    const out = await runCogPrediction(attests, 'x', input, opts);
    expect(out.attested).toEqual(king);
    await out.dispose();
    await close();
    const silent = await backend(200, JSON.stringify({ id: 'x', status: 'succeeded', output: mp4, model: null }));
    const unattested = await runCogPrediction(silent, 'x', input, opts);
    expect(unattested.attested).toBeNull();
    await unattested.dispose();
    await close();
    const gen = await backend(200, 'bytes', { 'content-type': 'video/mp4', 'leoma-model-repo': king.repo, 'leoma-model-digest': king.digest });
    const generated = await runGenerate(gen, 'x', { prompt: 'p', image: 'AAAA', fps: 16, frames: 17, resolution: '64x64' }, opts);
    expect(generated.attested).toEqual(king);
    await generated.dispose();
  });

  it('refuses an attested model that is not {repo, digest}', async () => {
    const url = await backend(200, JSON.stringify({ id: 'x', status: 'succeeded', output: mp4, model: { repo: king.repo, digest: 'main' } }));
    await expect(runCogPrediction(url, 'x', input, opts)).rejects.toMatchObject({ code: 'output_invalid' });
    await close();
    const gen = await backend(200, 'bytes', { 'content-type': 'video/mp4', 'leoma-model-digest': king.digest });
    await expect(runGenerate(gen, 'x', { prompt: 'p', image: 'AAAA', fps: 16, frames: 17, resolution: '64x64' }, opts)).rejects.toMatchObject({
      code: 'output_invalid',
    });
  });
});

describe('Cog outputs are decoded into a file as they stream', () => {
  const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));

  it('takes the first file of an output list, with JSON-escaped slashes and wrapped base64', async () => {
    const wrapped = bytes.toString('base64').replace(/(.{76})/g, '$1\n');
    const text = JSON.stringify({
      id: 'p1',
      status: 'succeeded',
      logs: 'a "quoted" log',
      output: [`data:video/mp4;base64,${wrapped}`, 'data:video/mp4;base64,AAAA'],
    }).replaceAll('/', '\\/');
    const url = await backend(200, text);
    const output = await runCogPrediction(url, 'p1', input, opts);
    expect({ bytes: output.bytes, content: await readFile(output.path) }).toEqual({ bytes: bytes.length, content: bytes });
    await output.dispose();
    await expect(readFile(output.path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('downloads an output given as a URL', async () => {
    server = createServer((req, res) => {
      req.resume();
      const port = (server!.address() as AddressInfo).port;
      if (req.url === '/out.mp4') return void res.writeHead(200, { 'content-type': 'video/mp4' }).end(bytes);
      req.on('end', () =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: 'p2', status: 'succeeded', output: `http://127.0.0.1:${port}/out.mp4` })),
      );
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const output = await runCogPrediction(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'p2', input, opts);
    expect(await readFile(output.path)).toEqual(bytes);
    await output.dispose();
  });

  it('refuses an output over the cap and leaves no file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leoma-cog-test-'));
    try {
      const url = await backend(200, JSON.stringify({ id: 'p3', status: 'succeeded', output: `data:video/mp4;base64,${bytes.toString('base64')}` }));
      await expect(runCogPrediction(url, 'p3', input, { ...opts, maxBytes: 1000, outputDir: dir })).rejects.toMatchObject({ code: 'output_invalid' });
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an output that is neither a data URI nor a URL', async () => {
    const url = await backend(200, JSON.stringify({ id: 'p4', status: 'succeeded', output: 'just text' }));
    await expect(runCogPrediction(url, 'p4', input, opts)).rejects.toMatchObject({ code: 'output_invalid' });
  });
});
