import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { type Batch, createLeomaClient, LeomaProblemError, LeomaTimeoutError, verifyWebhook, WebhookVerificationError } from '../../sdk/js/src/index.js';
import { newWebhookSecret, signatureHeader } from '../../src/webhooks/signature.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

/**
 * @leoma/sdk (sdk/js) from its source against the real api and worker. One process may hold one
 * event stream (EVENTS_STREAM_MAX_PER_PROCESS=1), so a real 503 can be provoked by holding it.
 */
let app: TestApp;
const png = join(tmpdir(), `leoma-client-${process.pid}.png`);

beforeAll(async () => {
  app = await startTestApp({ worker: true, env: { EVENTS_STREAM_MAX_PER_PROCESS: '1', WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RELAY_INTERVAL_MS: '50' } });
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=0x3366cc:s=64x36', '-frames:v', '1', png]);
});
afterAll(() => app?.close());

/** A client whose every HTTP attempt is recorded, so retries and headers can be checked. */
function recordingClient(key: string, retry: Parameters<typeof createLeomaClient>[0]['retry'] = {}) {
  const attempts: { method: string; path: string; status: number; idempotencyKey: string | null }[] = [];
  const retries: { status?: number; delayMs: number }[] = [];
  const client = createLeomaClient({
    baseUrl: app.url,
    apiKey: key,
    retry: { baseDelayMs: 50, ...retry, onRetry: (r) => retries.push({ status: r.status, delayMs: r.delayMs }) },
    fetch: async (input, init) => {
      const request = new Request(input as Request, init);
      const response = await fetch(request);
      attempts.push({
        method: request.method,
        path: new URL(request.url).pathname,
        status: response.status,
        idempotencyKey: request.headers.get('idempotency-key'),
      });
      return response;
    },
  });
  return { client, attempts, retries };
}

describe('@leoma/sdk', () => {
  it('uploads bytes as multipart with an Idempotency-Key, waits on the event stream, and lists with for await', async () => {
    const { key } = await app.tenant();
    const { client, attempts } = recordingClient(key);
    const video = await client.videos.create({ prompt: 'a blue card', duration_seconds: 1, image: readFileSync(png) });
    expect(video).toMatchObject({ object: 'video', status: 'queued' });
    expect(attempts[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);

    const done = await client.waitForVideo(video.id, { timeoutMs: 60_000 });
    expect(done.status).toBe('succeeded');
    expect(attempts.some((a) => a.path.endsWith('/events') && a.status === 200)).toBe(true);

    // The same explicit key replays the first answer instead of making a second video.
    const again = await client.videos.create(
      { prompt: 'a blue card', duration_seconds: 1, image: readFileSync(png) },
      { idempotencyKey: attempts[0]!.idempotencyKey! },
    );
    expect(again.id).toBe(video.id);

    const second = await client.videos.create({
      prompt: 'another',
      duration_seconds: 1,
      image: `data:image/png;base64,${readFileSync(png).toString('base64')}`,
    });
    const seen: string[] = [];
    for await (const v of client.videos.list({ limit: 1 })) seen.push(v.id);
    expect(seen).toEqual([second.id, video.id]);
    expect(attempts.filter((a) => a.path === '/v1/videos' && a.method === 'GET')).toHaveLength(2);
  }, 90_000);

  it('throws typed problems', async () => {
    const { key } = await app.tenant();
    const { client } = recordingClient(key);
    const error = await client.videos.get('vid_doesnotexist').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeomaProblemError);
    expect(error).toMatchObject({ status: 404, code: 'resource_not_found' });
    expect((error as LeomaProblemError).requestId).toMatch(/^req_/);
  });

  it('retries a 429 after Retry-After with the same Idempotency-Key', async () => {
    const { key } = await app.tenant({ key: { rate_limit_per_minute: 60 } });
    // Use up the key's burst, so the client's next request is refused once (on a loaded machine
    // the bucket refills while the 60 go out, so send until the first refusal).
    let sent = 0;
    while ((await app.request('/v1/me', { key })).status !== 429) expect(++sent).toBeLessThan(120);
    const { client, attempts, retries } = recordingClient(key);
    const started = Date.now();
    const video = await client.videos.create({
      prompt: 'rate limited',
      duration_seconds: 1,
      image: `data:image/png;base64,${readFileSync(png).toString('base64')}`,
    });
    expect(video.status).toBe('queued');
    expect(attempts.map((a) => a.status)).toEqual([429, 202]);
    expect(new Set(attempts.map((a) => a.idempotencyKey)).size).toBe(1);
    expect(retries[0]).toMatchObject({ status: 429, delayMs: 1000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  }, 30_000);

  it('retries a 503 (no room for another event stream), and falls back to polling when retries are off', async () => {
    const { key } = await app.tenant();
    app.backend.configure({ delayMs: 1_500 });
    try {
      const { client, attempts, retries } = recordingClient(key);
      const slow = await client.videos.create({ prompt: 'slow', duration_seconds: 1, image: readFileSync(png) });
      // Hold the process's only stream slot until this video ends.
      const held = await app.request(`/v1/videos/${slow.id}/events`, { key });
      expect(held.status).toBe(200);
      const done = await client.waitForVideo(slow.id, { timeoutMs: 30_000 });
      expect(done.status).toBe('succeeded');
      expect(retries.some((r) => r.status === 503)).toBe(true);
      expect(attempts.filter((a) => a.path.endsWith('/events')).map((a) => a.status)).toContain(503);
      await held.body?.cancel();

      const noRetry = recordingClient(key, { maxRetries: 0 });
      const next = await noRetry.client.videos.create({ prompt: 'slow again', duration_seconds: 1, image: readFileSync(png) });
      const holder = await app.request(`/v1/videos/${next.id}/events`, { key });
      const polled = await noRetry.client.waitForVideo(next.id, { timeoutMs: 30_000, pollIntervalMs: 200 });
      expect(polled.status).toBe('succeeded');
      expect(noRetry.attempts.filter((a) => a.path === `/v1/videos/${next.id}`).length).toBeGreaterThan(2);
      await holder.body?.cancel();
    } finally {
      app.backend.configure({ delayMs: 0 });
    }
  }, 60_000);

  it('a create whose answer is lost (a 502 from a proxy, then a dropped connection) is retried with its key and makes one video', async () => {
    const { key } = await app.tenant();
    // The real server makes the video each time it is asked; only its answer is lost on the way back.
    const answers: { status: number; replayed: string | null; key: string | null }[] = [];
    const lost = [
      (_: Response) => new Response('bad gateway', { status: 502 }),
      (_: Response) => {
        throw new TypeError('fetch failed');
      },
    ];
    const client = createLeomaClient({
      baseUrl: app.url,
      apiKey: key,
      retry: { baseDelayMs: 20 },
      fetch: async (input, init) => {
        const request = new Request(input as Request, init);
        const response = await fetch(request);
        const body = await response.arrayBuffer();
        answers.push({ status: response.status, replayed: response.headers.get('idempotent-replayed'), key: request.headers.get('idempotency-key') });
        const lose = lost.shift();
        return lose ? lose(response) : new Response(body, response);
      },
    });
    const video = await client.videos.create({ prompt: 'answer lost twice', duration_seconds: 1, image: readFileSync(png) });
    expect(answers.map((a) => [a.status, a.replayed])).toEqual([
      [202, null],
      [202, 'true'],
      [202, 'true'],
    ]);
    expect(new Set(answers.map((a) => a.key)).size).toBe(1);
    const listed = (await (await app.request('/v1/videos', { key })).json()) as { data: { id: string }[] };
    expect(listed.data.map((v) => v.id)).toEqual([video.id]);
  }, 30_000);

  it('verifies webhook signatures the way the server signs them', async () => {
    const [old, secret] = [newWebhookSecret(), newWebhookSecret()];
    const body = JSON.stringify({
      type: 'video.succeeded',
      timestamp: new Date().toISOString(),
      data: { id: 'vid_1', object: 'video', status: 'succeeded', url: '/v1/videos/vid_1' },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    // During a rotation both secrets sign; the receiver knows only the new one.
    const headers = {
      'webhook-id': 'evt_1',
      'webhook-timestamp': timestamp,
      'webhook-signature': signatureHeader([old, secret], 'evt_1', Number(timestamp), body),
    };
    expect((await verifyWebhook(body, headers, secret)).type).toBe('video.succeeded');
    await expect(verifyWebhook(body, headers, newWebhookSecret())).rejects.toThrow(WebhookVerificationError);
    await expect(verifyWebhook(`${body} `, headers, secret)).rejects.toThrow(WebhookVerificationError);
    await expect(verifyWebhook(body, { ...headers, 'webhook-signature': 'v1,not*base64' }, secret)).rejects.toThrow(WebhookVerificationError);
    await expect(verifyWebhook(body, { ...headers, 'webhook-timestamp': String(Number(timestamp) - 600) }, secret)).rejects.toThrow(WebhookVerificationError);
  });

  it('submits a CSV batch, reports its progress until it settles, and downloads the manifest in input order', async () => {
    const { key } = await app.tenant();
    const { client } = recordingClient(key);
    const image = `data:image/png;base64,${readFileSync(png).toString('base64')}`;
    const csv = `custom_id,image,prompt,duration_seconds\nmug-1,"${image}",first,1\nmug-2,"${image}",second,1\n`;
    const batch = await client.batches.create({ csv });
    expect(batch.request_counts.total).toBe(2);
    const progress: Batch[] = [];
    const done = await client.batches.wait(batch.id, { timeoutMs: 60_000, onProgress: (b) => progress.push(b) });
    expect(done).toMatchObject({ status: 'completed', request_counts: { succeeded: 2 } });
    expect(progress.at(-1)!.request_counts.succeeded).toBe(2);
    const manifest = await client.batches.results(batch.id, 'csv');
    const rows = manifest.trim().split('\n');
    expect(rows[0]).toContain('custom_id');
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['mug-1', 'mug-2']);
    const listed: string[] = [];
    for await (const b of client.batches.list({ limit: 1 })) listed.push(b.id);
    expect(listed).toEqual([batch.id]);
  }, 60_000);

  it('verifies a real delivery from a webhook endpoint, and refuses it under another secret', async () => {
    const { key } = await app.tenant();
    const receiver = await startWebhookReceiver();
    try {
      const endpoint = (await (
        await app.request('/v1/webhook-endpoints', { method: 'POST', key, json: { url: `${receiver.url}/hooks`, enabled_events: ['video.queued'] } })
      ).json()) as { secret: string };
      const { client } = recordingClient(key);
      const video = await client.videos.create({ prompt: 'hooked', duration_seconds: 1, image: readFileSync(png) });
      const [delivery] = await receiver.waitFor((r) => r.some((d) => d.json.data.id === video.id));
      const headers = Object.fromEntries(Object.entries(delivery!.headers).map(([k, v]) => [k, String(v)]));
      const event = await verifyWebhook(delivery!.body, headers, endpoint.secret);
      expect(event).toMatchObject({ type: 'video.queued', data: { id: video.id } });
      await expect(verifyWebhook(delivery!.body, headers, newWebhookSecret())).rejects.toThrow(WebhookVerificationError);
    } finally {
      await receiver.close();
    }
  }, 30_000);

  it('gives up on an attempt that gets no answer within timeoutMs, retries it, then throws LeomaTimeoutError', async () => {
    // A server that accepts connections and never answers.
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const attempts: number[] = [];
      const client = createLeomaClient({
        baseUrl: `http://127.0.0.1:${(silent.address() as { port: number }).port}`,
        apiKey: 'lk_test_x',
        timeoutMs: 200,
        retry: { maxRetries: 1, baseDelayMs: 10, onRetry: (r) => attempts.push(r.attempt) },
      });
      await expect(client.me()).rejects.toBeInstanceOf(LeomaTimeoutError);
      expect(attempts).toEqual([1]);
    } finally {
      silent.close();
    }
  });
});
