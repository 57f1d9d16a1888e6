import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

let app: TestApp;
let key: string;
const JSON_MAX = 4 * 1024;

beforeAll(async () => {
  app = await startTestApp({ env: { JSON_BODY_MAX_BYTES: String(JSON_MAX) } });
  ({ key } = await app.tenant());
});
afterAll(() => app?.close());

interface EarlyAnswer {
  status: number | null;
  body: string;
  /** The server closed the connection although the declared body was not all sent. */
  closed: boolean;
  sentBytes: number;
}

/**
 * Declares a body of `declaredBytes` but sends only `sendBytes` of it, then waits: a server that
 * reads bodies before authenticating never answers (it waits for the rest), one that refuses
 * first answers at once and hangs up instead of reading the rest.
 */
function sendPartialBody(path: string, headers: Record<string, string>, declaredBytes: number, sendBytes: number): Promise<EarlyAnswer> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    let sentBytes = 0;
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
      resolve({ status: status ? Number(status) : null, body: received.slice(received.indexOf('\r\n\r\n') + 4), closed, sentBytes });
    };
    const timer = setTimeout(finish, 5_000);
    socket.on('data', (d) => (received += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('connect', () => {
      const head = Object.entries({ host: `${hostname}:${port}`, 'content-length': String(declaredBytes), ...headers })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
      const chunk = Buffer.alloc(16 * 1024, 'a');
      while (sentBytes < sendBytes) {
        socket.write(chunk);
        sentBytes += chunk.length;
      }
    });
  });
}

const HUGE = 200 * 1024 * 1024;
const multipart = { 'content-type': 'multipart/form-data; boundary=xyz' };
const json = { 'content-type': 'application/json' };

describe('request bodies are read only after authentication and rate limiting', () => {
  it.each([
    ['anonymous JSON to POST /v1/videos', '/v1/videos', json, 'authentication_required'],
    [
      'a forged key with JSON to POST /v1/videos',
      '/v1/videos',
      { ...json, authorization: 'Bearer lk_live_00000000000000000000000000000000aaaaaa' },
      'invalid_api_key',
    ],
    ['anonymous multipart to POST /v1/files', '/v1/files', multipart, 'authentication_required'],
    ['anonymous multipart to POST /v1/videos', '/v1/videos', multipart, 'authentication_required'],
  ])('%s → 401 before the body is read, and the connection is closed', async (_name, path, headers, code) => {
    const answer = await sendPartialBody(path, headers, HUGE, 256 * 1024);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 401, code });
    expect(answer.closed).toBe(true);
    expect(answer.sentBytes).toBeLessThan(HUGE / 100);
  });

  it('a tenant over its request rate → 429 before the body is read', async () => {
    const slow = await app.tenant({ limits: { requests_per_minute: 1 } });
    expect((await app.request('/v1/me', { key: slow.key })).status).toBe(200);
    const answer = await sendPartialBody('/v1/videos', { ...multipart, authorization: `Bearer ${slow.key}` }, HUGE, 256 * 1024);
    expect(answer.status).toBe(429);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'rate_limited' });
    expect(answer.closed).toBe(true);
  });
});

describe('per-route body limits', () => {
  it('JSON over the small default on a route that takes no image → 413 problem+json', async () => {
    const res = await app.request('/v1/webhook-endpoints', {
      method: 'POST',
      key,
      json: { url: 'https://example.com/hook', description: 'x'.repeat(JSON_MAX + 1024) },
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('POST /v1/videos still takes an inline image far above the default', async () => {
    const image = dataUri(makeImage('png', '640x480'));
    expect(image.length).toBeGreaterThan(JSON_MAX * 2);
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } });
    expect(res.status).toBe(202);
  });

  it('POST /v1/files still takes a multipart upload above the JSON default', async () => {
    const png = makeImage('png', '640x480');
    expect(png.length).toBeGreaterThan(JSON_MAX);
    const form = new FormData();
    form.set('file', new Blob([png], { type: 'image/png' }), 'a.png');
    const res = await app.request('/v1/files', { method: 'POST', key, body: form });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ object: 'file', bytes: png.length });
  });
});
