import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVideo, startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';
import { BackendsRedis } from '../../src/backends/redis-client.js';
import { QueueName } from '../../src/platform/queue/queue-names.js';

/**
 * The backends' health reports live in Redis, and a Redis failover can lose the last ones
 * (replication is asynchronous): until the next health check nobody knows how a backend is. A
 * backend without a report is "not yet known", not gone: dispatch probes it at once and sends
 * the video there, rather than failing it with no_backend_available (a pinned video, which may
 * only go to backends reporting its digest, was failed at once) or idling until the next check
 * (a video of the served model). The videos are accepted while the reports exist and their jobs
 * held (queue paused); the lost writes are simulated by deleting the reports and holding the
 * health-check lock, so no scheduled check comes round during the test; then the jobs run.
 */
const A = { repo: 'king/leoma-wan22', digest: `sha256:${'a1'.repeat(32)}` };
const image = dataUri(makeImage('png', '64x64'));
let app: TestApp;
let key: string;
let redis: BackendsRedis;

beforeAll(async () => {
  app = await startTestApp({
    worker: true,
    backends: [{ loadedModel: A, model: A.repo, modelRevision: A.digest, maxConcurrency: 4 }],
    env: {
      MODEL_RANKING: JSON.stringify([{ model: A.repo, model_revision: A.digest }]),
      BACKEND_HEALTH_INTERVAL_MS: '1000',
      // Longer than the test waits for a video: a dispatch that idles for the next check fails the test.
      DISPATCH_DEADLINE_MS: '120000',
    },
  });
  ({ key } = await app.tenant());
  redis = app.api.get(BackendsRedis, { strict: false });
  await until('the backend reporting its digest', async () => (await redis.client.hget(redis.key('health'), 'ref_0'))?.includes(A.digest) === true, 20_000);
});
afterAll(() => app?.close());

/** The reports are gone and no scheduled health check will write new ones. */
async function loseHealthReports(): Promise<void> {
  await redis.client.set(redis.key('health-lock'), 'held by the test', 'PX', 600_000);
  await redis.client.del(redis.key('health'));
}

describe('a backend whose health report was lost', () => {
  it('still renders a pinned video and a winner video: the backend is probed, not written off', async () => {
    const queue = app.api.get<Queue>(getQueueToken(QueueName.Videos));
    await queue.pause();
    const pinned = await createVideo(app, key, image, { model: `${A.repo}@${A.digest}` });
    const winner = await createVideo(app, key, image);
    await loseHealthReports();
    await queue.resume();
    const [p, w] = await Promise.all([waitForStatus(app, key, pinned, ['succeeded', 'failed']), waitForStatus(app, key, winner, ['succeeded', 'failed'])]);
    expect({ status: p.status, error: p.error ?? null }).toEqual({ status: 'succeeded', error: null });
    expect({ status: w.status, error: w.error ?? null }).toEqual({ status: 'succeeded', error: null });
    expect(p.provenance).toMatchObject({ model_revision: A.digest, backend_id: 'ref_0' });
    // The probe wrote what it learnt: the next dispatch and the API read it as a scheduled check's.
    expect(await redis.client.hget(redis.key('health'), 'ref_0')).toContain(A.digest);
  }, 90_000);
});
