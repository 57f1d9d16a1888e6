import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { startTestApp, createVideo, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { connectionFromUrl } from '../../src/platform/redis/redis-connection.js';
import { parseExposition, select } from '../support/promql-lite.js';
import { until } from '../support/until.js';

/**
 * What the autoscalers and the saturation alert read, from a real API and worker over real Redis
 * and BullMQ: video jobs carry their plan's priority, so a backlog sits in BullMQ's `prioritized`
 * set, and batch items wait in PostgreSQL until the scheduler hands them over. Both must count.
 */
let app: TestApp;
let key: string;
const KING = 'leoma/reference-i2v@main';

beforeAll(async () => {
  // The API alone first: nothing consumes, so what is submitted stays where it was put. One backend, 2 slots.
  app = await startTestApp({
    backend: { maxConcurrency: 2, delayMs: 4_000 },
    env: { GPU_BACKEND_MAX_CONCURRENCY: '2', BATCH_SCHEDULE_INTERVAL_MS: '50', WORKER_CONCURRENCY: '2' },
  });
  ({ key } = await app.tenant());
});
afterAll(() => app?.close());

async function scrape() {
  const res = await app.request('/metrics');
  expect(res.status).toBe(200);
  const samples = parseExposition(await res.text());
  const one = (selector: string) => {
    const found = select(selector, samples);
    expect(found, selector).toHaveLength(1);
    return found[0]!.value;
  };
  return { one, samples };
}

describe('scaling signals', () => {
  it('count videos added with a priority, batch items not yet queued, and videos in flight', async () => {
    const image = dataUri(makeImage('png', '64x64'));
    for (let i = 0; i < 5; i++) await createVideo(app, key, image);
    const queue = new Queue('videos', { connection: connectionFromUrl(process.env.REDIS_URL!), prefix: process.env.QUEUE_PREFIX });
    try {
      // The jobs really are prioritized, as every video job is: none is in `wait`.
      const counts = await queue.getJobCounts('waiting', 'prioritized');
      expect(counts).toMatchObject({ waiting: 0, prioritized: 5 });
    } finally {
      await queue.close();
    }

    const form = new FormData();
    form.set(
      'file',
      new Blob([`custom_id,image,prompt,duration_seconds\n${[1, 2, 3].map((n) => `sku-${n},"${image}",item ${n},1`).join('\n')}`], { type: 'text/csv' }),
      'catalogue.csv',
    );
    const batch = await app.request('/v1/batches', { method: 'POST', key, body: form });
    expect(batch.status, await batch.clone().text()).toBe(202);
    expect(await app.sql('select count(*)::int as n from videos where batch_id is not null and dispatched_at is null')).toEqual([{ n: 3 }]);

    const before = await scrape();
    expect(before.one('leoma_queue_jobs{queue="videos",state="waiting"}')).toBe(0);
    expect(before.one('leoma_queue_jobs{queue="videos",state="prioritized"}')).toBe(5);
    // What the worker HPA and LeomaBackendsSaturated read (helm/leoma): the whole backlog.
    expect(before.one('leoma_queue_backlog{queue="videos"}')).toBe(5);
    // Demand for the served model: the 5 queued videos and the 3 batch items not yet handed over, over 2 slots.
    expect(before.one(`leoma_model_demand{model="${KING}"}`)).toBe(8);
    expect(before.one(`leoma_model_slots{model="${KING}"}`)).toBe(2);
    expect(before.one(`leoma_model_demand_ratio{model="${KING}"}`)).toBe(4);

    // The worker takes 2 at a time; the backend holds each for 4 s: in flight still counts as demand.
    await app.startWorker();
    await until(
      'two videos running',
      async () => (await app.sql<{ n: number }>("select count(*)::int as n from videos where status = 'running'"))[0]!.n === 2,
      20_000,
    );
    // Videos finish meanwhile: the gauge lies between the open rows counted just before and just after it.
    const open = async () => (await app.sql<{ n: number }>("select count(*)::int as n from videos where status in ('queued', 'running')"))[0]!.n;
    const [most, during, least] = [await open(), await scrape(), await open()];
    expect(least).toBeGreaterThanOrEqual(2);
    expect(during.one(`leoma_model_demand{model="${KING}"}`)).toBeGreaterThanOrEqual(least);
    expect(during.one(`leoma_model_demand{model="${KING}"}`)).toBeLessThanOrEqual(most);
    expect(during.one('leoma_queue_backlog{queue="videos"}')).toBeGreaterThan(0);

    await until(
      'all eight videos done',
      async () => (await app.sql<{ n: number }>("select count(*)::int as n from videos where status = 'succeeded'"))[0]!.n === 8,
      60_000,
    );
    const after = await scrape();
    expect(after.one(`leoma_model_demand{model="${KING}"}`)).toBe(0);
    expect(after.one(`leoma_model_demand_ratio{model="${KING}"}`)).toBe(0);
    expect(after.one('leoma_queue_backlog{queue="videos"}')).toBe(0);
  }, 120_000);

  it('leaves test-mode videos out of the demand for live GPUs', async () => {
    const { key: testKey } = await app.tenant({ mode: 'test' });
    const { one } = await scrape();
    const live = one(`leoma_model_demand{model="${KING}"}`);
    await createVideo(app, testKey, dataUri(makeImage('png', '64x64')));
    expect((await scrape()).one(`leoma_model_demand{model="${KING}"}`)).toBe(live);
  });
});
