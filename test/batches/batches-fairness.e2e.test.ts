import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, createVideo, waitForStatus, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';

// The run is 5,000 items: FAIRNESS_TEST_ITEMS=5000 npm exec vitest run test/batches/batches-fairness.e2e.test.ts.
// CI uses a batch far larger than what the workers can run while the test looks (a few seconds),
// which is what the property is about: the other tenants must not wait behind it.
const ITEMS = Number(process.env.FAIRNESS_TEST_ITEMS ?? 400);
// Every job holds a worker this long on the backend, so an item's run time is known.
const ITEM_DELAY_MS = 400;
/**
 * The bound: tenant B's interactive video starts within the longest run of one of A's items plus
 * SLACK_MS (queue pickup, the dispatcher's slot poll, a busy machine). Without fair scheduling it
 * would wait behind A's queued items: (ITEMS / workers) × one item's run.
 */
const SLACK_MS = 2_000;

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({
    worker: true,
    backend: { maxConcurrency: 4 },
    env: { WORKER_CONCURRENCY: '4', BATCH_SCHEDULE_INTERVAL_MS: '100', BATCH_QUEUED_PER_TENANT: '4', DISPATCH_CAPACITY_POLL_MS: '20' },
  });
  app.backend.configure({ delayMs: ITEM_DELAY_MS });
});
afterAll(() => app?.close());

type Json = Record<string, any>;

async function upload(key: string): Promise<string> {
  const form = new FormData();
  form.set('file', new Blob([makeImage('png')], { type: 'image/png' }), 'p.png');
  return ((await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as { id: string }).id;
}

async function submit(key: string, image: string, n: number): Promise<Json> {
  const jsonl = Array.from({ length: n }, (_, i) => JSON.stringify({ custom_id: `i${i}`, image, prompt: 'turntable', duration_seconds: 1 })).join('\n');
  const form = new FormData();
  form.set('file', new Blob([jsonl], { type: 'application/jsonl' }), 'items.jsonl');
  const res = await app.request('/v1/batches', { method: 'POST', key, body: form });
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(202);
  return body;
}

const batch = async (key: string, id: string) => (await (await app.request(`/v1/batches/${id}`, { key })).json()) as Json;

describe('fair scheduling', () => {
  it(`while tenant A's ${ITEMS}-item batch runs, tenant B's interactive video starts within one item's run + ${SLACK_MS} ms and tenant C's batch is not starved`, async () => {
    const a = await app.tenant({ plan: 'enterprise', limits: { max_batch_size: Math.max(ITEMS, 10_000) } });
    const b = await app.tenant({ plan: 'pro' });
    const c = await app.tenant({ plan: 'enterprise' });
    const [imageA, imageC] = await Promise.all([upload(a.key), upload(c.key)]);
    const big = await submit(a.key, imageA, ITEMS);
    // A's batch is under way and the workers are all busy with it.
    const deadline = Date.now() + 20_000;
    while ((await batch(a.key, big.id)).request_counts.succeeded < 4) {
      if (Date.now() > deadline) throw new Error('batch A did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    const small = await submit(c.key, imageC, 4);
    const videoB = await createVideo(app, b.key, imageDataUri());
    const doneB = await waitForStatus(app, b.key, videoB, ['succeeded', 'failed'], 20_000);
    expect(doneB.status).toBe('succeeded');
    const doneC = await (async () => {
      for (;;) {
        const s = await batch(c.key, small.id);
        if (s.status !== 'in_progress') return s;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    expect(doneC.status).toBe('completed');

    const runs = await app.sql<{ ms: number }>(
      `select extract(epoch from completed_at - started_at) * 1000 as ms from videos where batch_id = $1 and status = 'succeeded'`,
      [big.id],
    );
    const longestItem = Math.max(...runs.map((r) => Number(r.ms)));
    const waitB = new Date(doneB.started_at).getTime() - new Date(doneB.created_at).getTime();
    const stillQueuedA = (await batch(a.key, big.id)).request_counts.queued;
    console.info(
      `B waited ${waitB} ms (bound ${Math.round(longestItem) + SLACK_MS} ms); C's 4 items finished with ${stillQueuedA} of A's ${ITEMS} still queued`,
    );
    expect(waitB).toBeLessThanOrEqual(longestItem + SLACK_MS);
    // Neither waited for A's batch: most of it had not run yet.
    expect(stillQueuedA).toBeGreaterThan(ITEMS / 2);
    // A never ran more than the workers allow, and its queued jobs stayed a handful.
    expect(app.backend.stats().peakRunning).toBeLessThanOrEqual(4);
    await app.request(`/v1/batches/${big.id}/cancel`, { method: 'POST', key: a.key });
  });
});

function imageDataUri(): string {
  return `data:image/png;base64,${makeImage('png').toString('base64')}`;
}
