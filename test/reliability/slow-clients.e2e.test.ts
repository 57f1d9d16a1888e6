import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Slowloris: clients that trickle a request byte by byte must be cut off at the configured
 * limits with a 408 problem, not hold a socket for as long as they like.
 */
let app: TestApp;
let port: number;

beforeAll(async () => {
  app = await startTestApp({ env: { HTTP_HEADERS_TIMEOUT_MS: '1500', HTTP_REQUEST_TIMEOUT_MS: '3000' } });
  port = Number(new URL(app.url).port);
});
afterAll(() => app?.close());

/** Opens a connection, writes `first`, then one `drip` every 300 ms until the server closes it. */
function trickle(first: string, drip: string): Promise<{ reply: string; ms: number }> {
  return new Promise((resolve) => {
    const began = performance.now();
    let reply = '';
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(first));
    const timer = setInterval(() => socket.writable && socket.write(drip), 300);
    socket.on('data', (chunk) => (reply += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ reply, ms: performance.now() - began });
    });
  });
}

describe('slow clients', () => {
  it('headers sent a line at a time are cut off after HTTP_HEADERS_TIMEOUT_MS with 408 request_timeout', async () => {
    const { reply, ms } = await trickle('GET /v1/me HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 408, code: 'request_timeout' });
    // The limit plus at most one connection sweep (1 s) and scheduling slack.
    expect(ms).toBeGreaterThan(1_400);
    expect(ms).toBeLessThan(1_500 + 1_000 + 2_000);
  });

  it('a body sent a byte at a time is cut off after HTTP_REQUEST_TIMEOUT_MS', async () => {
    // A real key: authentication passes, so the server does wait for the body.
    const { key } = await app.tenant();
    const head = `POST /v1/videos HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nAuthorization: Bearer ${key}\r\n\r\n{"prompt":"`;
    const { reply, ms } = await trickle(head, 'a');
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThan(2_900);
    expect(ms).toBeLessThan(3_000 + 1_000 + 2_000);
  });
});
