import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKillableRedis, type KillableRedis } from '../support/redis-server.js';
import { startTestApp, createVideo, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { brokenInvariants } from './invariants.js';

/**
 * Redis dies (SIGKILL, no shutdown save) while videos are queued and rendering, and comes back on
 * the same port from its append-only file, as production runs it. Every accepted video must still
 * end, and quota, usage and webhooks must agree afterwards. VIDEOS scales the run (default 10).
 */
const VIDEOS = Number(process.env.RELIABILITY_VIDEOS ?? 10);
let redis: KillableRedis;
let app: TestApp;

beforeAll(async () => {
  redis = await startKillableRedis();
  app = await startTestApp({
    worker: true,
    backend: { delayMs: 1500, maxConcurrency: 4 },
    env: { REDIS_URL: redis.url, WORKER_LOCK_MS: '3000', WORKER_STALLED_INTERVAL_MS: '1000', STALE_QUEUED_AFTER_MS: '3000', STALE_QUEUED_SWEEP_MS: '2000' },
  });
});
afterAll(async () => {
  await app?.close();
  await redis?.close();
});

describe('Redis restarted mid-run', () => {
  it('loses no video and leaves quota, usage and webhooks consistent', async () => {
    const { key } = await app.tenant({ limits: { concurrent_videos: VIDEOS } });
    const image = dataUri(makeImage('png', '64x64'));
    const ids: string[] = [];
    for (let i = 0; i < VIDEOS; i++) ids.push(await createVideo(app, key, image));

    // Some are rendering, the rest wait in the queue.
    const deadline = Date.now() + 30_000;
    while ((await app.sql(`SELECT 1 FROM videos WHERE status = 'running'`)).length === 0) {
      if (Date.now() > deadline) throw new Error('no video started');
      await new Promise((r) => setTimeout(r, 100));
    }
    await redis.kill();
    await new Promise((r) => setTimeout(r, 1000));
    await redis.restart();

    const settle = Date.now() + 120_000;
    let open = ids.length;
    while (open > 0 && Date.now() < settle) {
      await new Promise((r) => setTimeout(r, 500));
      open = (await app.sql(`SELECT 1 FROM videos WHERE status NOT IN ('succeeded', 'failed', 'canceled')`)).length;
    }
    const outcomes = await app.sql<{ status: string; error_code: string | null; n: string }>(
      `SELECT status, error_code, count(*) AS n FROM videos GROUP BY 1, 2`,
    );
    console.log('outcomes after the Redis restart:', JSON.stringify(outcomes));
    expect(await brokenInvariants(app, { url: redis.url, prefix: process.env.QUEUE_PREFIX! })).toEqual([]);
  }, 200_000);
});
