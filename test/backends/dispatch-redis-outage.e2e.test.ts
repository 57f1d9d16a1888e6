import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKillableRedis, type KillableRedis } from '../support/redis-server.js';
import { createVideo, startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';

/**
 * Redis is unreachable for a few seconds while a backend renders a video and just after it
 * answers — what a Sentinel failover looks like to the worker (the master is gone, the replica not
 * promoted yet). The worker's own Redis commands then (the backend's circuit breaker, its
 * concurrency slot, the quota) must wait for Redis to come back like BullMQ's do, not fail after a
 * couple of reconnection attempts: such a failure was taken for the backend's, which with one
 * backend ended the dispatch with a non-retriable no_backend_available and failed a video whose
 * valid render was in hand (the video the Sentinel failover test lost). Redis comes back from its
 * append-only file on the same port, as production runs it.
 */
let redis: KillableRedis;
let app: TestApp;

beforeAll(async () => {
  redis = await startKillableRedis();
  app = await startTestApp({
    worker: true,
    backend: { delayMs: 1500, maxConcurrency: 1 },
    // A lock longer than the outage: this test is about the worker's own commands, not a stalled job.
    env: { REDIS_URL: redis.url, WORKER_LOCK_MS: '60000' },
  });
});
afterAll(async () => {
  await app?.close();
  await redis?.close();
});

describe('Redis unreachable while a backend renders', () => {
  it('the video succeeds on its one render once Redis is back: the outage is not blamed on the backend', async () => {
    const { key } = await app.tenant();
    const id = await createVideo(app, key, dataUri(makeImage('png', '64x64')));
    await until('the backend rendering', async () => app.backend.stats().started === 1, 30_000, 20);
    await redis.kill();
    // Down until the render has been answered and the worker has gone on to its own bookkeeping.
    await until('the backend to answer', async () => (await app.backend.health()).status === 'READY', 30_000, 50);
    await new Promise((r) => setTimeout(r, 3000));
    await redis.restart();

    const video = await waitForStatus(app, key, id, ['succeeded', 'failed'], 60_000);
    expect({ status: video.status, error: video.error ?? null }).toEqual({ status: 'succeeded', error: null });
    // The render in hand was kept: the GPU did the work once.
    expect(app.backend.stats().started).toBe(1);
  }, 120_000);
});
