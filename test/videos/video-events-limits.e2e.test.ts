import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, type TestApp, createVideo } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { EventFeed } from '../../src/videos/event-feed.service.js';

const POLL_MS = 100;
const LIFETIME_MS = 4_000;
let app: TestApp;
const image = dataUri(makeImage('png'));

beforeAll(async () => {
  app = await startTestApp({
    worker: true,
    backend: { delayMs: 6_000 },
    env: {
      EVENTS_STREAM_POLL_MS: String(POLL_MS),
      EVENTS_STREAM_MAX_MS: String(LIFETIME_MS),
      EVENTS_STREAM_RETRY_MS: '250',
      EVENTS_STREAM_MAX_PER_TENANT: '2',
      EVENTS_STREAM_MAX_PER_PROCESS: '3',
    },
  });
});
afterAll(() => app?.close());

interface Stream {
  status: number;
  /** Resolves when the server ends the stream: the event ids and types, and the `retry:` hint if any. */
  done: Promise<{ events: { id: string; event: string }[]; retry: string | null }>;
  abort(): void;
}

function open(key: string, id: string, lastEventId?: string): Promise<Stream> {
  const abort = new AbortController();
  return app
    .request(`/v1/videos/${id}/events`, { key, signal: abort.signal, headers: lastEventId ? { 'last-event-id': lastEventId } : {} })
    .then((res) => ({
      status: res.status,
      abort: () => abort.abort(),
      done: res.ok
        ? res.text().then((text) => ({
            events: text
              .split('\n\n')
              .filter((b) => b.startsWith('id: '))
              .map((b) => ({ id: b.split('\n')[0]!.slice(4), event: b.split('\n')[1]!.slice(7) })),
            retry: /^retry: (\d+)$/m.exec(text)?.[1] ?? null,
          }))
        : res.text().then(() => ({ events: [], retry: null })),
    }))
    .then((stream) => {
      // An aborted stream's body rejects; the tests that abort never read it.
      stream.done.catch(() => undefined);
      return stream;
    });
}

describe('SSE stream lifetime', () => {
  it('ends a stream after EVENTS_STREAM_MAX_MS with a retry hint, and Last-Event-ID resumes it to the end without gaps', async () => {
    const { key } = await app.tenant();
    const id = await createVideo(app, key, image);
    const started = Date.now();
    const first = await open(key, id);
    expect(first.status).toBe(200);
    const cut = await first.done;
    const lasted = Date.now() - started;
    expect(lasted).toBeGreaterThanOrEqual(LIFETIME_MS - 200);
    expect(lasted).toBeLessThan(LIFETIME_MS + 2_000);
    expect(cut.retry).toBe('250');
    expect(cut.events.map((e) => e.event)).not.toContain('video.succeeded');
    expect(cut.events[0]?.event).toBe('video.queued');

    const seen = [...cut.events];
    for (let i = 0; i < 5 && seen.at(-1)?.event !== 'video.succeeded'; i++) {
      const next = await open(key, id, seen.at(-1)!.id);
      expect(next.status).toBe(200);
      seen.push(...(await next.done).events);
    }
    expect(seen.map((e) => e.event)).toEqual(['video.queued', 'video.running', 'video.succeeded']);
    const log = (await (await app.request(`/v1/events?object_id=${id}`, { key })).json()) as { data: { id: string }[] };
    expect(seen.map((e) => e.id)).toEqual(log.data.map((e) => e.id).reverse());
  });
});

describe('SSE stream caps and the shared feed', () => {
  it('caps streams per tenant (429) and per process (503) with Retry-After, frees slots on close, and polls once per tick for all streams', async () => {
    const a = await app.tenant();
    const b = await app.tenant();
    const [videoA, videoB] = await Promise.all([createVideo(app, a.key, image), createVideo(app, b.key, image)]);
    const feed = app.api.get(EventFeed);

    const a1 = await open(a.key, videoA);
    const a2 = await open(a.key, videoA);
    expect([a1.status, a2.status]).toEqual([200, 200]);
    const a3 = await app.request(`/v1/videos/${videoA}/events`, { key: a.key });
    expect(a3.status).toBe(429);
    expect(a3.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await a3.json()).toMatchObject({ code: 'too_many_streams' });

    const b1 = await open(b.key, videoB);
    expect(b1.status).toBe(200);
    const b2 = await app.request(`/v1/videos/${videoB}/events`, { key: b.key });
    expect(b2.status).toBe(503);
    expect(b2.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await b2.json()).toMatchObject({ code: 'stream_capacity_reached' });

    // Three streams on two videos: the feed makes one query per tick, not one (or two) per stream.
    expect(feed.size).toBe(3);
    const before = feed.queries;
    const window = 1_000;
    await sleep(window);
    const made = feed.queries - before;
    expect(made).toBeGreaterThanOrEqual(2);
    expect(made).toBeLessThanOrEqual(window / POLL_MS + 1);

    a1.abort();
    let again = 0;
    for (let i = 0; i < 20 && again !== 200; i++) {
      await sleep(100);
      const s = await open(a.key, videoA);
      again = s.status;
      if (again === 200) s.abort();
    }
    expect(again).toBe(200);
    a2.abort();
    b1.abort();
  });
});
