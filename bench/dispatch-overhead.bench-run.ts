import { writeFile } from 'node:fs/promises';
import { it } from 'vitest';
import { renderVideo } from '../gpu/server/render.js';
import { startTestApp } from '../test/support/test-app.js';
import { makeImage } from '../test/support/images.js';
import { startInstantBackend } from './instant-backend.mjs';
import { Dispatcher } from '../src/backends/dispatcher.service.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 50);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

/**
 * The dispatcher alone, in the worker's process (part of `npm run bench`, which measures the whole
 * job from outside): ranking, pool, health and breaker state, the Redis slot, the HTTP call and
 * the release, minus the time the instant backend spent on the request. No S3, no ffprobe, no
 * status writes. Writes { median, p95, min } to BENCH_OUT when set.
 */
it(`dispatcher overhead over ${JOBS} calls`, async () => {
  const image = makeImage('png', '854x480');
  const mp4 = await renderVideo({ image, durationSeconds: 1, fps: 24, width: 854, height: 480 });
  const backend = await startInstantBackend(mp4);
  const app = await startTestApp({
    worker: true,
    env: { GPU_BACKEND_URL: backend.url, WORKER_CONCURRENCY: '1', BACKEND_HEALTH_INTERVAL_MS: '0', LOG_LEVEL: 'error' },
  });
  const took: number[] = [];
  try {
    const dispatcher = app.worker!.get(Dispatcher);
    const req = { prompt: 'bench', image, imageType: 'image/png', width: 832, height: 480, fps: 16, frames: 17 };
    for (let i = 0; i < JOBS + 5; i++) {
      const prefix = `bench-${i}`;
      const t = performance.now();
      const { output } = await dispatcher.dispatch(req, {
        callIdPrefix: prefix,
        maxBytes: 10 * 1024 * 1024,
        validate: async () => undefined,
        canceled: async () => false,
        livemode: true,
      });
      await output.dispose();
      // The first calls warm up connections and JIT; they are not counted.
      if (i >= 5) took.push(performance.now() - t - backend.serverMs.get(`${prefix}-1`)!);
    }
  } finally {
    await app.close();
    await backend.close();
  }
  const result = { calls: JOBS, median: +median(took).toFixed(1), p95: +p95(took).toFixed(1), min: +Math.min(...took).toFixed(1) };
  console.log(`\ndispatcher alone (pick, slot, breaker, call, release − backend time): ${JSON.stringify(result)}\n`);
  if (process.env.BENCH_OUT) await writeFile(process.env.BENCH_OUT, JSON.stringify(result));
});
