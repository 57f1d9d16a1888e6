import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { startTestApp, createVideo, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { sharedBuild, spawnBuilt } from '../support/shared-build.js';

let OUT: string;
let app: TestApp;
const children: ChildProcess[] = [];

beforeAll(async () => {
  OUT = await sharedBuild();
  // The backend never answers in time: the job is always mid-flight when its worker dies.
  app = await startTestApp({ env: { WORKER_LOCK_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000' }, backend: { delayMs: 600_000 } });
}, 180_000);
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await app?.close();
});

/** A real worker process, as a pod runs it, on this file's database, queue prefix and bucket. */
async function startWorkerProcess(): Promise<ChildProcess> {
  const { child } = await spawnBuilt(OUT, 'src/app/main-worker.js', 'leoma worker started');
  children.push(child);
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

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

    const first = await startWorkerProcess();
    await waitFor('the first start', async () => (await attemptsOf(id)) === 1);
    await kill(first);
    // The next worker finds the job stalled once, takes it again and dies too.
    const second = await startWorkerProcess();
    await waitFor('the second start', async () => (await attemptsOf(id)) === 2);
    await kill(second);
    // The second stall is one too many: BullMQ fails the job without running the handler.
    await startWorkerProcess();
    const video = await waitForStatus(app, key, id, ['failed'], 60_000);
    expect(video.error).toMatchObject({ code: 'processing_failed' });

    const events = await app.sql('select type from events where object_id = $1 order by seq', [id]);
    expect(events.map((e) => e.type)).toContain('video.failed');
    const usage = (await (await app.request('/v1/usage', { key })).json()) as Record<string, any>;
    expect(usage.concurrent_videos.active).toBe(0);
    expect(usage.video_seconds.reserved).toBe(0);
    // The slot is free again: the tenant's one concurrent video may be submitted.
    expect((await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } })).status).toBe(202);
  }, 180_000);
});
