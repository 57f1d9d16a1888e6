import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, fetch as undiciFetch } from 'undici';
import { BackendAddressRefused, guardedLookup, isBackendAddressAllowed, parseNetworks } from '../../src/backends/gpu/backend-network.js';
import { runCogPrediction } from '../../src/backends/gpu/cog-client.js';
import { runGenerate } from '../../src/backends/gpu/generate-client.js';
import { appEnv } from '../../src/platform/config/app.env.js';
import { backendsEnv } from '../../src/backends/backends.env.js';

// As production runs: loopback is not implied, only what GPU_BACKEND_NETWORKS lists (here just
// 127.0.0.1, where the fake backend listens). 127.0.0.2 is loopback too but not listed.
process.env.NODE_ENV = 'production';
process.env.GPU_BACKEND_NETWORKS = '127.0.0.1/32';
appEnv.reload();
backendsEnv.reload();

describe('where a GPU backend may be', () => {
  const nets = parseNetworks('10.0.0.0/8,fd12:3456::/48');
  it.each([
    ['169.254.169.254', false],
    ['::ffff:169.254.169.254', false],
    ['::ffff:a9fe:a9fe', false],
    ['fd00:ec2::254', false],
    ['fe80::1', false],
    ['0.0.0.0', false],
    ['::', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['100.100.100.200', false],
    ['127.0.0.1', false],
    ['::1', false],
    ['::ffff:127.0.0.1', false],
    ['192.168.1.10', false],
    ['100.64.0.1', false],
    ['fd00::1', false],
    ['10.1.2.3', true],
    ['::ffff:10.1.2.3', true],
    ['fd12:3456::9', true],
    ['8.8.8.8', true],
    ['2606:4700::1111', true],
    ['2852039166', false],
    ['0x7f000001', false],
    ['127.1', false],
    ['not-an-ip', false],
  ])('%s → %s (listed: 10/8, fd12:3456::/48; production)', (ip, allowed) => {
    expect(isBackendAddressAllowed(ip, nets, false)).toBe(allowed);
  });

  it('loopback outside production only; link-local never, even when listed', () => {
    expect(isBackendAddressAllowed('127.0.0.1', [], true)).toBe(true);
    expect(isBackendAddressAllowed('::1', [], true)).toBe(true);
    expect(isBackendAddressAllowed('169.254.169.254', parseNetworks('169.254.0.0/16,0.0.0.0/0'), true)).toBe(false);
    expect(isBackendAddressAllowed('fd00:ec2::254', parseNetworks('fd00::/8'), true)).toBe(false);
  });
});

describe('a backend pointing the worker elsewhere', () => {
  let backend: Server;
  let canary: Server;
  let canaryHits = 0;
  let backendUrl = '';
  let canaryPort = 0;
  let output = '';

  beforeAll(async () => {
    canary = createServer((_req, res) => {
      canaryHits++;
      res.writeHead(200, { 'content-type': 'video/mp4' }).end('not reached');
    });
    await new Promise<void>((r) => canary.listen(0, '127.0.0.2', r));
    canaryPort = (canary.address() as AddressInfo).port;
    backend = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const id = decodeURIComponent(req.url!.split('/').pop()!);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, status: 'succeeded', output }));
      });
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => backend.close(() => r()));
    await new Promise<void>((r) => canary.close(() => r()));
  });

  const input = { image: 'data:image/png;base64,AAAA', prompt: 'p', duration_seconds: 1, num_frames: 16, fps: 16, width: 64, height: 64 };
  const opts = { timeoutMs: 5_000, maxBytes: 1024 * 1024 };

  it('an output URL at an address outside the networks is refused before any connection (literal IP)', async () => {
    output = `http://127.0.0.2:${canaryPort}/out.mp4`;
    await expect(runCogPrediction(backendUrl, 'vid_a', input, opts)).rejects.toMatchObject({
      code: 'output_invalid',
      message: expect.stringContaining('refused'),
    });
    expect(canaryHits).toBe(0);
  });

  it('…and by name, at connect time: a name is resolved and checked by the connection itself, every address of it', async () => {
    // localhost resolves to 127.0.0.1 (and ::1 on some hosts); with only ::1 listed it is refused either way.
    const agent = new Agent({ connect: { lookup: guardedLookup({ networks: parseNetworks('::1/128'), allowLoopback: false }) } });
    const refused = await undiciFetch(`http://localhost:${canaryPort}/out.mp4`, { dispatcher: agent }).catch((e: Error) => e);
    expect((refused as Error & { cause?: unknown }).cause).toBeInstanceOf(BackendAddressRefused);
    expect(canaryHits).toBe(0);
    await agent.close();
  });

  it('a backend URL at the metadata address or outside the networks is never called', async () => {
    await expect(runCogPrediction('http://169.254.169.254/', 'vid_c', input, opts)).rejects.toMatchObject({
      code: 'backend_unavailable',
      message: expect.stringContaining('refused'),
    });
    await expect(
      runGenerate(`http://127.0.0.2:${canaryPort}/`, 'vid_d', { prompt: 'p', image: input.image, fps: 16, frames: 16, resolution: '480p' }, opts),
    ).rejects.toMatchObject({ code: 'backend_unavailable', message: expect.stringContaining('refused') });
    expect(canaryHits).toBe(0);
  });

  it('the listed network works as before', async () => {
    output = 'data:video/mp4;base64,AAAAIGZ0eXBpc29t';
    await expect(runCogPrediction(backendUrl, 'vid_e', input, opts)).resolves.toBeTruthy();
  });
});
