import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { renderVideo } from '../tools/reference-backend/render.js';
import { probeVideo } from '../src/platform/media/ffprobe.js';
import { startTestApp, waitForStatus } from '../test/support/test-app.js';
import { dataUri, makeImage } from '../test/support/images.js';
import { startInstantBackend } from './instant-backend.js';
import { Dispatcher } from '../src/backends/dispatcher.service.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 50);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;
const fmt = (xs: number[]) => `median ${median(xs).toFixed(1)} ms, p95 ${p95(xs).toFixed(1)} ms, min ${Math.min(...xs).toFixed(1)} ms`;

/**
 * Dispatch overhead per job with an instant backend: BullMQ's finishedOn − processedOn (dequeue to
 * succeeded, the row and usage committed) minus the time the backend spent on the request. Jobs
 * run one at a time so queueing does not count.
 */
it(`dispatch overhead over ${JOBS} jobs`, async () => {
  const image = makeImage('png', '854x480');
  const mp4 = await renderVideo({ image, durationSeconds: 1, fps: 24, width: 854, height: 480 });
  const backend = await startInstantBackend(mp4);
  const app = await startTestApp({ worker: true, env: { GPU_BACKEND_URL: backend.url, WORKER_CONCURRENCY: '1', BACKEND_HEALTH_INTERVAL_MS: '0', LOG_LEVEL: 'error' } });
  const queue = app.api.get<Queue>(getQueueToken('videos'));
  const { key } = await app.tenant();
  const overhead: number[] = [];
  const backendMs: number[] = [];
  const dispatchOnly: number[] = [];
  try {
    // The dispatcher alone (ranking, pool, health, breaker, slot, the HTTP call, release), without
    // the job around it: no S3, no ffprobe, no status writes.
    const dispatcher = app.worker!.get(Dispatcher);
    const req = { prompt: 'bench', image, imageType: 'image/png', width: 832, height: 480, fps: 16, frames: 17 };
    for (let i = 0; i < JOBS + 5; i++) {
      const prefix = `bench-${i}`;
      const t = performance.now();
      const { output } = await dispatcher.dispatch(req, { callIdPrefix: prefix, maxBytes: 10 * 1024 * 1024, validate: async () => undefined, canceled: async () => false });
      await output.dispose();
      const took = performance.now() - t;
      if (i >= 5) dispatchOnly.push(took - backend.serverMs.get(`${prefix}-1`)!);
    }
    for (let i = 0; i < JOBS + 5; i++) {
      const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'bench', image: dataUri(image), duration_seconds: 1 } });
      const { id } = (await res.json()) as { id: string };
      const done = await waitForStatus(app, key, id, ['succeeded', 'failed']);
      if (done.status !== 'succeeded') throw new Error(`${id} ${done.status}: ${JSON.stringify(done.error)}`);
      const job = await queue.getJob(id);
      const served = [...backend.serverMs].find(([pid]) => pid.startsWith(`${id}-`))?.[1] ?? 0;
      // The first jobs warm up connections and JIT; they are not counted.
      if (i < 5) continue;
      overhead.push(job!.finishedOn! - job!.processedOn! - served);
      backendMs.push(served);
    }
  } finally {
    await app.close();
    await backend.close();
  }
  const dir = await mkdtemp(join(tmpdir(), 'bench-'));
  const probeMs: number[] = [];
  await writeFile(join(dir, 'v.mp4'), mp4);
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await probeVideo(join(dir, 'v.mp4'));
    probeMs.push(performance.now() - t);
  }
  await rm(dir, { recursive: true, force: true });
  console.log(`\ndispatcher alone (pick, slot, breaker, call, release − backend time): ${fmt(dispatchOnly)}\njob overhead (dequeue → succeeded − backend time), ${JOBS} jobs, ${mp4.length} byte MP4:\n  ${fmt(overhead)}\nbackend time: ${fmt(backendMs)}\nof which one ffprobe of the output: ${fmt(probeMs)}\n`);
});
