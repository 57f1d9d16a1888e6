import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCogPrediction } from '../src/backends/gpu/cog-client.js';
import { runGenerate } from '../src/backends/gpu/generate-client.js';

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
    await expect(runCogPrediction(url, 'vid_1-1-1', input, opts)).resolves.toBeInstanceOf(Buffer);
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
    for (const [status, code, retriable] of [[409, 'backend_busy', true], [401, 'backend_unavailable', true], [422, 'generation_failed', false]] as const) {
      const url = await backend(status, '{}');
      await expect(runCogPrediction(url, 'x', input, opts)).rejects.toMatchObject({ code, retriable });
      await new Promise<void>((r) => server!.close(() => r()));
      server = undefined;
    }
  });
});
