import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

let app: TestApp;
let key: string;
let slowImage: http.Server;
let slowUrl: string;

beforeAll(async () => {
  // No worker: videos stay queued, which the cancel tests need. Private URLs are allowed so a
  // slow local image server can hold the first request open.
  app = await startTestApp({ env: { ALLOW_PRIVATE_IMAGE_URLS: 'true' } });
  ({ key } = await app.tenant());
  const png = makeImage('png');
  slowImage = http.createServer((_req, res) => setTimeout(() => res.writeHead(200, { 'content-type': 'image/png' }).end(png), 1500));
  await new Promise<void>((r) => slowImage.listen(0, '127.0.0.1', r));
  slowUrl = `http://127.0.0.1:${(slowImage.address() as AddressInfo).port}/slow.png`;
});
afterAll(async () => {
  slowImage?.close();
  await app?.close();
});

async function countVideos(): Promise<number> {
  return (await app.sql('select count(*)::int as n from videos'))[0].n;
}

const post = (body: unknown, idem?: string) => app.request('/v1/videos', { method: 'POST', key, json: body, headers: idem ? { 'idempotency-key': idem } : {} });

describe('Idempotency-Key', () => {
  const body = { prompt: 'idempotent', image: dataUri(makeImage('png')), duration_seconds: 1 };

  it('replays the first response for the same key and body', async () => {
    const before = await countVideos();
    const first = await post(body, 'idem-replay-1');
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const a = (await first.json()) as { id: string };
    const second = await post({ ...body }, 'idem-replay-1');
    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(((await second.json()) as { id: string }).id).toBe(a.id);
    expect(await countVideos()).toBe(before + 1);
  });

  it('refuses the same key with a different body (422) and creates nothing', async () => {
    await post(body, 'idem-mismatch-1');
    const before = await countVideos();
    const res = await post({ ...body, prompt: 'something else' }, 'idem-mismatch-1');
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe('idempotency_key_reused');
    expect(await countVideos()).toBe(before);
  });

  it('answers 409 to a concurrent duplicate while the first is in flight', async () => {
    const before = await countVideos();
    const slowBody = { prompt: 'slow', image: slowUrl, duration_seconds: 1 };
    const first = post(slowBody, 'idem-concurrent-1');
    await new Promise((r) => setTimeout(r, 300));
    const dup = await post(slowBody, 'idem-concurrent-1');
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { code: string }).code).toBe('idempotency_request_in_progress');
    expect(dup.headers.get('retry-after')).toBe('1');
    expect((await first).status).toBe(202);
    const replay = await post(slowBody, 'idem-concurrent-1');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await countVideos()).toBe(before + 1);
  });

  it('forgets a failed request so the same key can be retried', async () => {
    const bad = await post({ ...body, image: 'data:image/png;base64,@@' }, 'idem-retry-1');
    expect(bad.status).toBe(422);
    const good = await post({ ...body, image: 'data:image/png;base64,@@' }, 'idem-retry-1');
    expect(good.status).toBe(422);
    expect(good.headers.get('idempotent-replayed')).toBeNull();
  });

  it('keys are per tenant', async () => {
    const other = await app.tenant();
    const mine = (await (await post(body, 'idem-shared-1')).json()) as { id: string };
    const theirs = await app.request('/v1/videos', { method: 'POST', key: other.key, json: body, headers: { 'idempotency-key': 'idem-shared-1' } });
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(((await theirs.json()) as { id: string }).id).not.toBe(mine.id);
  });
});

describe('cancel', () => {
  it('cancels a queued video, removes its job, and refuses a second cancel', async () => {
    const created = (await (await post({ prompt: 'to cancel', image: dataUri(makeImage('png')), duration_seconds: 1 })).json()) as { id: string };
    const canceled = await app.request(`/v1/videos/${created.id}/cancel`, { method: 'POST', key });
    expect(canceled.status).toBe(200);
    expect(await canceled.json()).toMatchObject({ id: created.id, status: 'canceled', output: null });
    const again = await app.request(`/v1/videos/${created.id}/cancel`, { method: 'POST', key });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('video_not_cancelable');
    const content = await app.request(`/v1/videos/${created.id}/content`, { key });
    expect(content.status).toBe(409);
    expect(((await content.json()) as { code: string }).code).toBe('video_not_ready');
  });
});
