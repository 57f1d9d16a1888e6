import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, createVideo, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { sharedBuild } from '../support/shared-build.js';
import { QUICK_TAKEOVER_ENV, WorkerProcesses } from '../support/worker-processes.js';
import { brokenInvariants } from './invariants.js';

/**
 * Real worker processes SIGKILLed again and again while videos render, a fresh one started after
 * each kill (as Kubernetes restarts a pod). Every accepted video must end — succeeded, or failed
 * uncharged when BullMQ gives up on a job that stalled twice — and the stores must agree.
 * RELIABILITY_KILLS (default 4; the manual run uses 20) and RELIABILITY_VIDEOS (default 16) scale it.
 */
const KILLS = Number(process.env.RELIABILITY_KILLS ?? 4);
const VIDEOS = Number(process.env.RELIABILITY_VIDEOS ?? 16);
let app: TestApp;
let workers: WorkerProcesses;

beforeAll(async () => {
  workers = new WorkerProcesses(await sharedBuild());
  app = await startTestApp({
    env: { ...QUICK_TAKEOVER_ENV, STALE_QUEUED_AFTER_MS: '3000', STALE_QUEUED_SWEEP_MS: '2000' },
    backend: { delayMs: 800, maxConcurrency: 8 },
  });
}, 180_000);
afterAll(async () => {
  workers?.killAll();
  await app?.close();
});

const openVideos = async () => (await app.sql(`SELECT 1 FROM videos WHERE status NOT IN ('succeeded', 'failed', 'canceled')`)).length;

describe('workers SIGKILLed repeatedly mid-job', () => {
  it(
    'every video ends, nothing is charged twice or for a failure, no slot is left held',
    async () => {
      const { key } = await app.tenant({ limits: { concurrent_videos: VIDEOS } });
      const image = dataUri(makeImage('png', '64x64'));
      await Promise.all([workers.start(), workers.start()]);
      for (let i = 0; i < VIDEOS; i++) await createVideo(app, key, image);

      for (let kill = 0; kill < KILLS; kill++) {
        await new Promise((r) => setTimeout(r, 1200));
        await workers.kill(workers.alive[0]!);
        await workers.start();
      }

      const deadline = Date.now() + 150_000;
      while ((await openVideos()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
      const outcomes = await app.sql<{ status: string; error_code: string | null; n: number }>(
        `SELECT status, error_code, count(*)::int AS n FROM videos GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      console.log(`outcomes after ${KILLS} kills:`, JSON.stringify(outcomes));
      // A job BullMQ gave up on after two stalls is the only acceptable failure here.
      for (const o of outcomes) if (o.status === 'failed') expect(o.error_code).toBe('processing_failed');
      expect(await brokenInvariants(app, { url: process.env.REDIS_URL!, prefix: process.env.QUEUE_PREFIX! })).toEqual([]);
    },
    150_000 + KILLS * 30_000,
  );
});
