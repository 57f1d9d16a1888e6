import { request as httpRequest, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, createVideo, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { brokenInvariants } from './invariants.js';

/**
 * The API under sustained and abusive load, against the real stores. The CI run holds the steady
 * load for five minutes and the manual run for ten: RELIABILITY_LOAD_SECONDS (default 300; the
 * manual run uses 600; 20 is enough while working on this file), RELIABILITY_STREAMS
 * (default 300; the manual run uses 1000). Bounds are stated next to each check; they are loose on
 * purpose (a shared CI machine), the point is that nothing breaks, not how fast it is (bench/ does speed).
 */
const LOAD_SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 300);
const STREAMS = Number(process.env.RELIABILITY_STREAMS ?? 300);
/** Bound on a bystander's request (p95 of 20) while another tenant floods or streams, in ms. */
const BYSTANDER_BOUND_MS = 2_000;
/** Bound on the API process's RSS growth over the steady run, in MB. */
const RSS_GROWTH_BOUND_MB = 200;

let app: TestApp;
const image = dataUri(makeImage('png', '64x64'));

beforeAll(async () => {
  app = await startTestApp({
    worker: true,
    backend: { delayMs: 200, maxConcurrency: 8 },
    env: { EVENTS_STREAM_MAX_PER_TENANT: String(STREAMS + 10), EVENTS_STREAM_MAX_PER_PROCESS: String(STREAMS + 10) },
  });
});
afterAll(() => app?.close());

const timed = async (run: () => Promise<Response>): Promise<[Response, number]> => {
  const began = performance.now();
  const res = await run();
  await res.arrayBuffer();
  return [res, performance.now() - began];
};

describe('load', () => {
  it(
    `steady submit and poll for ${LOAD_SECONDS} s: no 5xx, every video ends, RSS growth bounded`,
    async () => {
      const { key } = await app.tenant({ limits: { concurrent_videos: 1000, requests_per_minute: 100_000 } });
      const statuses = new Map<number, number>();
      const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const ids: string[] = [];
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const end = Date.now() + LOAD_SECONDS * 1000;
      // One submit, then polls of recent videos, about twice a second: submit : poll = 1 : 20.
      while (Date.now() < end) {
        const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'steady', image, duration_seconds: 1 } });
        count(res.status);
        if (res.status === 202) ids.push(((await res.json()) as { id: string }).id);
        else await res.arrayBuffer();
        await Promise.all(
          Array.from({ length: 20 }, (_, i) => ids[ids.length - 1 - (i % Math.min(ids.length, 5))])
            .filter(Boolean)
            .map(async (id) => {
              const poll = await app.request(`/v1/videos/${id}`, { key });
              count(poll.status);
              await poll.arrayBuffer();
            }),
        );
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        await new Promise((r) => setTimeout(r, 400));
      }
      const deadline = Date.now() + 120_000;
      while ((await app.sql(`SELECT 1 FROM videos WHERE status NOT IN ('succeeded', 'failed', 'canceled')`)).length > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 500));
      const growthMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
      console.log(
        `steady load: ${ids.length} videos, statuses ${JSON.stringify(Object.fromEntries(statuses))}, RSS +${growthMb.toFixed(0)} MB (peak +${((rssPeak - rssBefore) / 2 ** 20).toFixed(0)} MB)`,
      );
      expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
      expect(ids.length).toBeGreaterThan(0);
      expect(growthMb).toBeLessThan(RSS_GROWTH_BOUND_MB);
      expect(await app.sql(`SELECT status FROM videos WHERE status <> 'succeeded'`)).toEqual([]);
      expect(await brokenInvariants(app, { url: process.env.REDIS_URL!, prefix: process.env.QUEUE_PREFIX! })).toEqual([]);
    },
    LOAD_SECONDS * 1000 + 180_000,
  );

  it('a burst of 10x a tenant rate limit: clean 429s with Retry-After, a bystander unaffected', async () => {
    const perMinute = 30;
    const flooder = await app.tenant({ limits: { requests_per_minute: perMinute } });
    const bystander = await app.tenant();
    const bystanderTimes: number[] = [];
    // Warm: the first use of a key verifies it against the database; that is not the flood's doing.
    await (await app.request('/v1/me', { key: bystander.key })).arrayBuffer();
    // 300 requests from 50 connections at once, as an over-eager client's worker pool sends them.
    const flood = Promise.all(
      Array.from({ length: 50 }, async () => {
        const mine: Response[] = [];
        for (let i = 0; i < (perMinute * 10) / 50; i++) mine.push(await app.request('/v1/me', { key: flooder.key }));
        return mine;
      }),
    ).then((lists) => lists.flat());
    const watch = (async () => {
      for (let i = 0; i < 20; i++) {
        const [res, ms] = await timed(() => app.request('/v1/me', { key: bystander.key }));
        expect(res.status).toBe(200);
        bystanderTimes.push(ms);
      }
    })();
    const [answers] = await Promise.all([flood, watch]);
    const refused = answers.filter((r) => r.status === 429);
    expect(answers.filter((r) => r.status !== 200 && r.status !== 429).map((r) => r.status)).toEqual([]);
    expect(refused.length).toBeGreaterThanOrEqual(perMinute * 10 - perMinute * 2);
    for (const r of refused) {
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await r.json()) as { code: string }).code).toBe('rate_limited');
    }
    bystanderTimes.sort((a, b) => a - b);
    console.log(`burst: ${refused.length} of ${answers.length} refused; bystander ms ${bystanderTimes.map((t) => t.toFixed(0)).join(',')}`);
    // p95: on a shared two-core machine any single request can lose a scheduler slice.
    expect(bystanderTimes[Math.ceil(bystanderTimes.length * 0.95) - 1]!).toBeLessThan(BYSTANDER_BOUND_MS);
  }, 120_000);

  it(`${STREAMS} SSE streams held open do not starve the API`, async () => {
    const { key } = await app.tenant({ limits: { requests_per_minute: 100_000 } });
    const id = await createVideo(app, key, image);
    const { hostname, port } = new URL(app.url);
    const open: ClientRequest[] = [];
    try {
      await Promise.all(
        Array.from(
          { length: STREAMS },
          () =>
            new Promise<void>((resolve, reject) => {
              const req = httpRequest(
                { hostname, port, path: `/v1/videos/${id}/events`, headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } },
                (res) => {
                  if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
                  res.once('data', () => resolve());
                  res.on('error', () => undefined);
                },
              );
              req.on('error', reject);
              req.end();
              open.push(req);
            }),
        ),
      );
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        const [res, ms] = await timed(() => app.request('/v1/me', { key }));
        expect(res.status).toBe(200);
        times.push(ms);
      }
      console.log(`${STREAMS} streams open; /v1/me max ${Math.max(...times).toFixed(0)} ms`);
      expect(Math.max(...times)).toBeLessThan(BYSTANDER_BOUND_MS);
    } finally {
      for (const req of open) req.destroy();
    }
  }, 120_000);
});
