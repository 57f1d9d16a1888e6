import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { connectionFromUrl } from '../../src/platform/redis/redis-connection.js';

let app: TestApp;
let key: string;

beforeAll(async () => {
  app = await startTestApp({ env: { STALE_QUEUED_AFTER_MS: '0', STALE_QUEUED_SWEEP_MS: '1000' } });
  ({ key } = await app.tenant());
});
afterAll(() => app?.close());

describe('a queued video whose job was lost', () => {
  it('is re-enqueued by the sweep and completes', async () => {
    const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'lost job', image: dataUri(makeImage('png')), duration_seconds: 1 } });
    const { id } = (await res.json()) as { id: string };
    // What a crash between the insert and the enqueue leaves behind: a queued row, no job.
    const queue = new Queue('videos', { connection: connectionFromUrl(process.env.REDIS_URL!), prefix: process.env.QUEUE_PREFIX });
    expect(await queue.getJob(id)).toBeDefined();
    await queue.remove(id);
    expect(await queue.getJob(id)).toBeUndefined();
    await queue.close();

    await app.startWorker();
    const done = await waitForStatus(app, key, id, ['succeeded', 'failed'], 30_000);
    expect(done.status).toBe('succeeded');
  });
});

describe('a running video whose job is gone', () => {
  it('is failed by the sweep, its quota released and video.failed recorded', async () => {
    const { key: k } = await app.tenant({ limits: { concurrent_videos: 1 } });
    // Paused, so the running worker cannot take the job before it is removed.
    const queue = new Queue('videos', { connection: connectionFromUrl(process.env.REDIS_URL!), prefix: process.env.QUEUE_PREFIX });
    await queue.pause();
    const res = await app.request('/v1/videos', { method: 'POST', key: k, json: { prompt: 'orphan', image: dataUri(makeImage('png')), duration_seconds: 1 } });
    const { id } = (await res.json()) as { id: string };
    // What a lost failure leaves: the row says running, but no job will ever finish it.
    await queue.remove(id);
    await queue.resume();
    await queue.close();
    await app.sql("update videos set status = 'running', attempts = 1, updated_at = now() - interval '1 minute' where id = $1", [id]);

    if (!app.worker) await app.startWorker();
    const done = await waitForStatus(app, k, id, ['succeeded', 'failed'], 30_000);
    expect(done).toMatchObject({ status: 'failed', error: { code: 'processing_failed' } });
    expect((await app.sql('select type from events where object_id = $1', [id])).map((e) => e.type)).toContain('video.failed');
    const usage = (await (await app.request('/v1/usage', { key: k })).json()) as Record<string, any>;
    expect(usage.concurrent_videos.active).toBe(0);
  });
});
