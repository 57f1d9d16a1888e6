import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cogHealth } from '../../src/backends/gpu/cog-client.js';
import { generateHealth } from '../../src/backends/gpu/generate-client.js';
import { backendsEnv } from '../../src/backends/backends.env.js';

// Health checks against real local HTTP servers: a backend must not redirect our Authorization
// header elsewhere, nor fill the worker's memory with a health answer.
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.url} ${req.headers.authorization ?? ''}`);
    handler!(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

describe('backend health checks', () => {
  it('do not follow a redirect, so the Authorization header never reaches the other host', async () => {
    const elsewhere = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"READY"}'));
    const redirecting = await serve((_req, res) => res.writeHead(302, { location: `${elsewhere.url}/health-check` }).end());
    expect(await cogHealth(redirecting.url, 2_000, { authorization: 'Bearer s3cret' })).toMatchObject({ status: 'down' });
    expect(await generateHealth(redirecting.url, 2_000, { authorization: 'Bearer s3cret' })).toMatchObject({ status: 'down' });
    expect(redirecting.hits).toHaveLength(2);
    expect(elsewhere.hits).toEqual([]);
  });

  it('read the body with a cap', async () => {
    // 8 MiB of a never-ending JSON string: the check gives up at the cap instead of buffering it.
    let written = 0;
    const huge = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"READY","pad":"');
      const chunk = 'x'.repeat(64 * 1024);
      const pump = () => {
        while (written < 8 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('"}');
      };
      res.on('error', () => undefined);
      pump();
    });
    await expect(cogHealth(huge.url, 5_000)).rejects.toMatchObject({ code: 'output_invalid' });
    expect(written).toBeLessThan(8 * 1024 * 1024);
  });

  it('still read a well-formed answer', async () => {
    const ok = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"READY"}'));
    expect(await cogHealth(ok.url, 2_000)).toEqual({ status: 'ready', renderer: null, progress: null });
  });

  it('record the GPU contract fields: the loaded model, the renderer and the load progress', async () => {
    const model = { repo: 'kingmaker/leoma-wan22', digest: `sha256:${'ab'.repeat(32)}` };
    const answer = {
      status: 'STARTING',
      setup: {},
      model,
      renderer: 'wan2.2',
      progress: { phase: 'fetching', bytes_done: 1024, bytes_total: 4096, detail: 'transformer/diffusion_pytorch_model-00001.safetensors' },
      cache: null,
    };
    const starting = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)));
    expect(await cogHealth(starting.url, 2_000)).toEqual({ status: 'starting', model, renderer: 'wan2.2', progress: answer.progress });
    // The generate protocol's /health returns the same JSON; a plain 200 (no JSON) is still ready, model unreported.
    expect(await generateHealth(starting.url, 2_000)).toEqual({ status: 'starting', model, renderer: 'wan2.2', progress: answer.progress });
    const plain = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    expect(await generateHealth(plain.url, 2_000)).toEqual({ status: 'ready', renderer: null, progress: null });
    const none = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"READY","model":null,"renderer":"test-card"}'),
    );
    expect(await cogHealth(none.url, 2_000)).toEqual({ status: 'ready', model: null, renderer: 'test-card', progress: null });
  });

  it('refuse a loaded model that is not {repo, digest}: such a backend cannot say what it runs', async () => {
    for (const model of ['kingmaker/leoma-wan22', { repo: 'kingmaker/leoma-wan22', digest: 'main' }, { repo: '', digest: `hf:${'0'.repeat(40)}` }]) {
      const junk = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'READY', model })));
      await expect(cogHealth(junk.url, 2_000)).rejects.toMatchObject({ code: 'output_invalid' });
    }
  });
});

describe('backend URLs from configuration', () => {
  it('refuse user:pass@ credentials, naming the variable', () => {
    expect(() => backendsEnv.load({ GPU_BACKEND_URL: 'http://admin:hunter2@127.0.0.1:5000' })).toThrow(/GPU_BACKEND_URL: must not carry user:pass@/);
    expect(() => backendsEnv.load({ GPU_BACKENDS: JSON.stringify([{ id: 'a', url: 'http://u:p@127.0.0.1:5000' }]) })).toThrow(
      /GPU_BACKENDS\.0\.url: must not carry/,
    );
    expect(backendsEnv.load({ GPU_BACKEND_URL: 'http://127.0.0.1:5000' }).GPU_BACKEND_URL).toBe('http://127.0.0.1:5000');
  });
});
