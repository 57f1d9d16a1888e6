import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';
import { sharedBuild } from '../support/shared-build.js';
import { QUICK_TAKEOVER_ENV, WorkerProcesses } from '../support/worker-processes.js';
import { brokenBatchInvariants, brokenInvariants } from './invariants.js';

/**
 * A CSV batch runs while real worker processes — which run both the batch scheduler and the
 * video jobs — are SIGKILLed again and again, a fresh one started after each kill (as Kubernetes
 * restarts a pod). Each kill waits until an item is rendering, so it lands mid-job. The batch must
 * end in its terminal state with counts equal to its items' states, the manifest must list every
 * row once in input order with a terminal status, and the stores must agree.
 * RELIABILITY_KILLS (default 3; the manual run uses 20) and RELIABILITY_VIDEOS (the batch's rows,
 * default 8; the manual run uses 40) scale it; RELIABILITY_RENDER_MS (default 1500) is how long
 * the backend takes per item — the manual run lengthens it so the batch outlasts its kills (each
 * costs a worker start, tens of seconds on a loaded machine).
 */
const KILLS = Number(process.env.RELIABILITY_KILLS ?? 3);
const ITEMS = Number(process.env.RELIABILITY_VIDEOS ?? 8);
const RENDER_MS = Number(process.env.RELIABILITY_RENDER_MS ?? 1500);
let app: TestApp;
let workers: WorkerProcesses;

beforeAll(async () => {
  let build: string;
  [build, app] = await Promise.all([
    sharedBuild(),
    startTestApp({
      env: { ...QUICK_TAKEOVER_ENV, STALE_QUEUED_AFTER_MS: '3000', STALE_QUEUED_SWEEP_MS: '2000', BATCH_SCHEDULE_INTERVAL_MS: '200' },
      backend: { delayMs: RENDER_MS, maxConcurrency: 8 },
    }),
  ]);
  workers = new WorkerProcesses(build);
}, 180_000);
afterAll(async () => {
  workers?.killAll();
  await app?.close();
});

const rendering = async () => (await app.sql(`SELECT 1 FROM videos WHERE status = 'running'`)).length;

type Json = Record<string, any>;

describe('workers SIGKILLed repeatedly while a batch runs', () => {
  it(
    'the batch ends with counts equal to its items, the manifest lists every row once in order, nothing is lost',
    async () => {
      // Two items at a time (one slot stays free for interactive videos), so the batch lasts.
      const { key } = await app.tenant({ limits: { concurrent_videos: 3 } });
      const form = new FormData();
      form.set('file', new Blob([makeImage('png', '64x64')], { type: 'image/png' }), 'p.png');
      const file = (await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as Json;
      // Input order is not id order: custom_ids count down.
      const customIds = Array.from({ length: ITEMS }, (_, i) => `sku-${ITEMS - i}`);
      const csv = ['custom_id,image,prompt,duration_seconds', ...customIds.map((c) => `${c},${file.id},"a product, turning",1`)].join('\n');
      const upload = new FormData();
      upload.set('file', new Blob([csv], { type: 'text/csv' }), 'catalogue.csv');
      await Promise.all([workers.start(), workers.start()]);
      const res = await app.request('/v1/batches', { method: 'POST', key, body: upload });
      const batch = (await res.json()) as Json;
      expect(res.status, JSON.stringify(batch)).toBe(202);

      let midJob = 0;
      const t0 = Date.now();
      for (let kill = 0; kill < KILLS; kill++) {
        // Strike while something renders (it may all be over before the last kills of a small run).
        const wait = Date.now() + 5_000;
        while ((await rendering()) === 0 && Date.now() < wait) await new Promise((r) => setTimeout(r, 50));
        if ((await rendering()) > 0) midJob++;
        await workers.kill(workers.alive[0]!);
        await workers.start();
      }

      const killedFor = Date.now() - t0;
      const deadline = Date.now() + 120_000;
      let now: Json = batch;
      while (Date.now() < deadline) {
        now = (await (await app.request(`/v1/batches/${batch.id}`, { key })).json()) as Json;
        if (['completed', 'failed', 'canceled'].includes(now.status)) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const outcomes = await app.sql<{ status: string; error_code: string | null; n: number }>(
        `SELECT status, error_code, count(*)::int AS n FROM videos GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      console.log(
        `batch of ${ITEMS} after ${KILLS} kills (${midJob} with an item rendering, ${killedFor} ms), settled after ${Date.now() - t0} ms: ${now.status} ${JSON.stringify(now.request_counts)}; items ${JSON.stringify(outcomes)}`,
      );

      // The stores first: they say what went wrong more precisely than the API's view below.
      expect([
        ...(await brokenInvariants(app, { url: process.env.REDIS_URL!, prefix: process.env.QUEUE_PREFIX! })),
        ...(await brokenBatchInvariants(app)),
      ]).toEqual([]);
      expect(['completed', 'failed']).toContain(now.status);
      const items = await app.sql<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM videos WHERE batch_id = $1 GROUP BY 1`, [batch.id]);
      const byStatus = Object.fromEntries(items.map((i) => [i.status, i.n]));
      expect(now.request_counts).toEqual({
        total: ITEMS,
        queued: 0,
        running: 0,
        succeeded: byStatus.succeeded ?? 0,
        failed: byStatus.failed ?? 0,
        canceled: byStatus.canceled ?? 0,
        expired: byStatus.expired ?? 0,
      });
      // A job BullMQ gave up on after two stalls is the only acceptable failure here.
      for (const o of outcomes) if (o.status === 'failed') expect(o.error_code).toBe('processing_failed');

      const manifest = (await (await app.request(`/v1/batches/${batch.id}/results?format=jsonl`, { key })).text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Json);
      expect(manifest.map((r) => r.custom_id)).toEqual(customIds);
      expect(new Set(manifest.map((r) => r.video_id)).size).toBe(ITEMS);
      for (const r of manifest) expect(['succeeded', 'failed'], JSON.stringify(r)).toContain(r.status);
      for (const r of manifest) if (r.status === 'succeeded') expect(r.content_url).toMatch(/^http/);
    },
    150_000 + KILLS * 30_000,
  );
});
