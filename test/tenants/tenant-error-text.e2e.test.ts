import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

// A backend's 4xx body is the backend's business (it may quote hosts, ports or other tenants'
// input): the tenant reads our message for the code, never that text.
let app: TestApp;
let server: Server;
const leak = 'db at 10.0.0.5:5432 refused user leoma';

beforeAll(async () => {
  // The config backend serves a model nobody ranks, so videos go only to the backend registered below.
  app = await startTestApp({ worker: true, backends: [{ model: 'acme/unranked' }] });
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.startsWith('/health-check')) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"READY"}');
      res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: leak }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const created = await app.request('/v1/admin/backends', {
    method: 'POST',
    key: app.operatorKey,
    json: { name: 'rejecting', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, model: 'leoma/reference-i2v' },
  });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  await app?.close();
});

describe("a failed video's error", () => {
  it("carries our message for generation_failed, not the backend's 4xx body", async () => {
    const { key } = await app.tenant();
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: dataUri(makeImage('png')), duration_seconds: 1 } });
    const { id } = (await res.json()) as { id: string };
    const done = await waitForStatus(app, key, id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'failed', error: { code: 'generation_failed', message: 'The GPU backend rejected the input (image or prompt).' } });
    expect(JSON.stringify(done)).not.toMatch(/10\.0\.0\.5|5432|refused user/);
    const events = (await (await app.request(`/v1/events?object_id=${id}`, { key })).json()) as Record<string, any>;
    expect(JSON.stringify(events)).not.toMatch(/10\.0\.0\.5|5432/);
  });
});
