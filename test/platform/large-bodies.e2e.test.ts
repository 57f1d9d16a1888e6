import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';

/**
 * Large bodies cannot exhaust the API's memory, whichever key sends them (a test key too):
 * uploads stream to disk on their way to storage instead of being held whole, an image over the
 * image cap is refused as soon as the request says so or the stream crosses it, and each tenant
 * may have only LARGE_BODIES_IN_FLIGHT_PER_TENANT large requests in progress at once.
 */
const IN_FLIGHT = 2;
const IMAGE_MAX = 2 * 1024 * 1024;
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({
    env: { LARGE_BODIES_IN_FLIGHT_PER_TENANT: String(IN_FLIGHT), IMAGE_MAX_BYTES: String(IMAGE_MAX), SANDBOX_REQUESTS_PER_MINUTE: '100000' },
  });
});
afterAll(() => app?.close());

const BOUNDARY = 'leomaboundary';
const MB = 1024 * 1024;

/** A multipart body with `fields` first, then a file part of `bytes` bytes made of `unit` repeated, produced as it is sent. */
function streamedForm(fields: Record<string, string>, bytes: number, unit: Buffer, filename: string): ReadableStream<Uint8Array> {
  const head = Buffer.from(
    `${Object.entries(fields)
      .map(([k, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('')}--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  let sent = 0;
  let stage = 0;
  return new ReadableStream({
    pull(controller) {
      if (stage === 0) {
        stage = 1;
        return controller.enqueue(head);
      }
      if (sent < bytes) {
        const n = Math.min(unit.length, bytes - sent);
        sent += n;
        return controller.enqueue(unit.subarray(0, n));
      }
      controller.enqueue(tail);
      controller.close();
    },
  });
}

const upload = (key: string, fields: Record<string, string>, bytes: number, unit: Buffer, filename = 'items.jsonl') =>
  fetch(`${app.url}/v1/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body: streamedForm(fields, bytes, unit, filename),
    duplex: 'half',
  } as RequestInit);

/** A tenant with a test key: the key customers put in CI, which must be bounded as much as a live one. */
async function testKey(): Promise<string> {
  const { tenantId } = await app.tenant({ limits: { requests_per_minute: 100_000 } });
  const res = await app.request(`/v1/admin/tenants/${tenantId}/api-keys`, { method: 'POST', key: app.operatorKey, json: { mode: 'test' } });
  return ((await res.json()) as { secret: string }).secret;
}

interface Held {
  socket: Socket;
  /** The status line's code once the server answers, null until then. */
  answer: Promise<{ status: number; body: string } | null>;
}

/** Sends the head of a request declaring `declared` bytes and `send` bytes of its body, and keeps the connection open. */
function hold(path: string, key: string, declared: number, send: Buffer, waitMs = 15_000): Held {
  const { hostname, port } = new URL(app.url);
  const socket = connect(Number(port), hostname);
  let received = '';
  const answer = new Promise<{ status: number; body: string } | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), waitMs);
    const done = () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
      if (!status || !received.includes('\r\n\r\n')) return false;
      clearTimeout(timer);
      resolve({ status: Number(status), body: received.slice(received.indexOf('\r\n\r\n') + 4) });
      return true;
    };
    socket.on('data', (d) => {
      received += d.toString('latin1');
      done();
    });
    socket.on('close', () => {
      if (!done()) {
        clearTimeout(timer);
        resolve(null);
      }
    });
  });
  socket.on('error', () => undefined);
  socket.on('connect', () => {
    socket.write(
      `POST ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\nauthorization: Bearer ${key}\r\ncontent-type: multipart/form-data; boundary=${BOUNDARY}\r\ncontent-length: ${declared}\r\n\r\n`,
    );
    socket.write(send);
  });
  return { socket, answer };
}

describe('uploads', () => {
  it('stream to storage: many large uploads at once leave the API process’s memory about where it was', async () => {
    const keys = await Promise.all([testKey(), testKey(), testKey(), testKey()]);
    const unit = Buffer.from(
      `${JSON.stringify({ prompt: 'a red shoe turning', image: 'https://example.com/shoe.png' })}\n`.repeat(Math.ceil(MB / 80)),
    ).subarray(0, MB);
    const warm = await upload(keys[0]!, { purpose: 'batch' }, 2 * MB, unit);
    expect(warm.status, await warm.text()).toBe(201);
    // Large enough that holding them would show: 8 × 24 MiB = 192 MiB of buffers (held whole, RSS grew
    // by 300 MiB). Streamed, what grows is chunks in passing and the heap's own slack.
    const each = 24 * MB;
    const start = process.memoryUsage();
    const peak = { rss: 0, arrayBuffers: 0 };
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak.rss = Math.max(peak.rss, m.rss - start.rss);
      peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers - start.arrayBuffers);
    }, 10);
    try {
      const answers = await Promise.all(keys.flatMap((key) => Array.from({ length: IN_FLIGHT }, () => upload(key, { purpose: 'batch' }, each, unit))));
      const bodies = await Promise.all(answers.map(async (r) => [r.status, (await r.json()) as { bytes?: number }] as const));
      expect(bodies.map(([status]) => status)).toEqual(Array(keys.length * IN_FLIGHT).fill(201));
      expect(bodies.every(([, b]) => b.bytes === each)).toBe(true);
    } finally {
      clearInterval(sampler);
    }
    expect(peak.arrayBuffers / MB, 'buffers held at the peak (MiB)').toBeLessThan(128);
    expect(peak.rss / MB, 'RSS growth at the peak (MiB)').toBeLessThan(200);
  }, 180_000);

  it('refuse an image the request says is over the image cap before reading its body', async () => {
    const key = await testKey();
    const held = hold('/v1/videos', key, 200 * MB, Buffer.alloc(16 * 1024, 'a'));
    const answer = await held.answer;
    held.socket.destroy();
    expect(answer?.status).toBe(413);
    expect(JSON.parse(answer!.body)).toMatchObject({ code: 'image_too_large' });
  });

  it('refuse an image at the byte that crosses the image cap, on POST /v1/videos and on POST /v1/files with purpose video_input', async () => {
    const key = await testKey();
    const png = makeImage('png', '64x64');
    const form = (fields: string, field: string) =>
      Buffer.concat([
        Buffer.from(`${fields}--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`),
        png,
        Buffer.alloc(IMAGE_MAX + 64 * 1024, 0),
      ]);
    const purpose = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nvideo_input\r\n`;
    const prompt = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nshoe\r\n`;
    // Declared within the route's cap (a batch file may be 64 MiB), sent only a little past the image cap, never finished.
    for (const [path, body] of [
      ['/v1/files', form(purpose, 'file')],
      ['/v1/videos', form(prompt, 'image')],
    ] as const) {
      const held = hold(path, key, IMAGE_MAX + 2 * MB, body);
      const answer = await held.answer;
      held.socket.destroy();
      expect(answer?.status, path).toBe(413);
      expect(JSON.parse(answer!.body), path).toMatchObject({ code: 'image_too_large' });
    }
  });

  it('are refused when an image without a declared purpose turns out over the image cap', async () => {
    const key = await testKey();
    const res = await upload(key, {}, IMAGE_MAX + 1024, Buffer.alloc(MB, 1), 'big.png');
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'image_too_large' });
  });
});

describe('large requests in flight', () => {
  it(`are capped per tenant at LARGE_BODIES_IN_FLIGHT_PER_TENANT with 429 and Retry-After, and the slots come back`, async () => {
    const key = await testKey();
    const other = await testKey();
    // Slow uploads, sent in part and held open. A probe racing their heads may take a slot first and
    // see one of them refused instead; each round replaces those, until the held ones fill the cap.
    const held: Held[] = [];
    const answered = new Set<Held>();
    const open = () => held.filter((h) => !answered.has(h));
    const probe = () => upload(key, { purpose: 'batch' }, 2 * MB, Buffer.alloc(MB, 'a'));
    let refused: Response | undefined;
    try {
      for (let round = 0; round < 50 && !refused; round++) {
        while (open().length < IN_FLIGHT) {
          const h = hold('/v1/files', key, 8 * MB, Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n`), 120_000);
          void h.answer.then((a) => a && answered.add(h));
          held.push(h);
        }
        await new Promise((r) => setTimeout(r, 100));
        const res = await probe();
        if (res.status === 429 && open().length === IN_FLIGHT) refused = res;
        else await res.body?.cancel();
      }
      expect(refused, 'no probe was refused').toBeDefined();
      expect(refused!.headers.get('retry-after')).toBe('1');
      expect(await refused!.json()).toMatchObject({ status: 429, code: 'too_many_large_requests', limit: IN_FLIGHT });
      // Small bodies and other tenants are not held back.
      expect((await app.request('/v1/webhook-endpoints', { method: 'POST', key, json: { url: 'https://8.8.8.8/hooks' } })).status).toBe(201);
      expect((await upload(other, { purpose: 'batch' }, 2 * MB, Buffer.alloc(MB, 'a'))).status).toBe(201);
    } finally {
      for (const h of held) h.socket.destroy();
    }
    await expect.poll(async () => (await probe()).status, { timeout: 15_000 }).toBe(201);
  });
});
