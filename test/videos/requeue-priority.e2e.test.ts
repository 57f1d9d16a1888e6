import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { connectionFromUrl } from '../../src/platform/redis/redis-connection.js';

// The plan's queue priority must survive the stale-video sweep: it is stored on the video row.
let app: TestApp;
let key: string;

beforeAll(async () => {
  app = await startTestApp({ env: { STALE_QUEUED_AFTER_MS: '0', STALE_QUEUED_SWEEP_MS: '1000' } });
  ({ key } = await app.tenant({ plan: 'starter' }));
});
afterAll(() => app?.close());

describe('a queued video re-enqueued by the sweep', () => {
  it("keeps its plan's queue priority", async () => {
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'priority', image: dataUri(makeImage('png')), duration_seconds: 1 } });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const [row] = await app.sql<{ queue_priority: number }>('select queue_priority from videos where id = $1', [id]);
    expect(row!.queue_priority).toBe(5); // the starter plan's

    const queue = new Queue('videos', { connection: connectionFromUrl(process.env.REDIS_URL!), prefix: process.env.QUEUE_PREFIX });
    try {
      expect((await queue.getJob(id))?.opts.priority).toBe(5);
      await queue.remove(id);
      await app.startWorker();
      expect((await waitForStatus(app, key, id, ['succeeded', 'failed'], 30_000)).status).toBe('succeeded');
      // Completed jobs are kept for a day, so the re-enqueued job's options can still be read.
      expect((await queue.getJob(id))?.opts.priority).toBe(5);
    } finally {
      await queue.close();
    }
  });
});
