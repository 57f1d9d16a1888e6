import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, createVideo, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { sharedBuild } from '../support/shared-build.js';
import { QUICK_TAKEOVER_ENV, WorkerProcesses } from '../support/worker-processes.js';

let app: TestApp;
let workers: WorkerProcesses;

beforeAll(async () => {
  workers = new WorkerProcesses(await sharedBuild());
  // The backend never answers in time: the job is always mid-flight when its worker dies.
  app = await startTestApp({ env: QUICK_TAKEOVER_ENV, backend: { delayMs: 600_000 } });
}, 180_000);
afterAll(async () => {
  workers?.killAll();
  await app?.close();
});

const attemptsOf = async (id: string) => Number((await app.sql('select attempts from videos where id = $1', [id]))[0]!.attempts);

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a worker killed twice during one job', () => {
  it('ends the video failed, with its quota released and video.failed recorded', async () => {
    const { key } = await app.tenant({ limits: { concurrent_videos: 1 } });
    const image = dataUri(makeImage('png', '64x64'));
    const id = await createVideo(app, key, image);

    const first = await workers.start();
    await waitFor('the first start', async () => (await attemptsOf(id)) === 1);
    await workers.kill(first);
    // The next worker finds the job stalled once, takes it again and dies too.
    const second = await workers.start();
    await waitFor('the second start', async () => (await attemptsOf(id)) === 2);
    await workers.kill(second);
    // The second stall is one too many: BullMQ fails the job without running the handler.
    await workers.start();
    const video = await waitForStatus(app, key, id, ['failed'], 60_000);
    expect(video.error).toMatchObject({ code: 'processing_failed' });

    const events = await app.sql('select type from events where object_id = $1 order by seq', [id]);
    expect(events.map((e) => e.type)).toContain('video.failed');
    const usage = (await (await app.request('/v1/usage', { key })).json()) as Record<string, any>;
    expect(usage.concurrent_videos.active).toBe(0);
    expect(usage.video_seconds.reserved).toBe(0);
    // The slot is free again: the tenant's one concurrent video gets it at once (it does not wait in the queue).
    const next = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } });
    expect(next.status).toBe(202);
    expect(await next.json()).toMatchObject({ queue_position: null, start_by: null });
  }, 180_000);
});
