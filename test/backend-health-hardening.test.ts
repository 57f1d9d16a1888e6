import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cogHealth } from '../src/backends/gpu/cog-client.js';
import { generateHealth } from '../src/backends/gpu/generate-client.js';
import { backendsEnv } from '../src/backends/backends.env.js';

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
    expect(await cogHealth(redirecting.url, 2_000, { authorization: 'Bearer s3cret' })).toBe('UNKNOWN');
    expect(await generateHealth(redirecting.url, 2_000, { authorization: 'Bearer s3cret' })).toBe(false);
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
    expect(await cogHealth(ok.url, 2_000)).toBe('READY');
  });
});

describe('backend URLs from configuration', () => {
  it('refuse user:pass@ credentials, naming the variable', () => {
    expect(() => backendsEnv.load({ GPU_BACKEND_URL: 'http://admin:hunter2@127.0.0.1:5000' })).toThrow(/GPU_BACKEND_URL: must not carry user:pass@/);
    expect(() => backendsEnv.load({ GPU_BACKENDS: JSON.stringify([{ id: 'a', url: 'http://u:p@127.0.0.1:5000' }]) })).toThrow(/GPU_BACKENDS\.0\.url: must not carry/);
    expect(backendsEnv.load({ GPU_BACKEND_URL: 'http://127.0.0.1:5000' }).GPU_BACKEND_URL).toBe('http://127.0.0.1:5000');
  });
});
