import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchTable, runBench } from '../../gpu/server/bench.js';
import { startGpuServer } from '../../gpu/server/server.js';
import { sharedBuild } from '../support/shared-build.js';

const run = promisify(execFile);
const KING = { repo: 'leoma/wan2.2-i2v-a14b-diffusers', digest: 'sha256:79e4cc89edd935e8ea843ae2bd80fb85d3444128bb946990109a33ffafb2184e' };
let dir: string;
let snapshot: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leoma-gpu-bench-test-'));
  snapshot = join(dir, 'snapshot');
  await mkdir(snapshot);
  await writeFile(join(snapshot, 'model_index.json'), '{"_class_name":"WanImageToVideoPipeline"}');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The operators' bench (gpu/README.md): seconds per video, peak VRAM, cold-start phases and the
// server's own overhead. Here against the test card and the stand-in worker; timings are reported,
// never asserted.
describe('the GPU bench', () => {
  it("measures a test-card server: cold-start phases, seconds per video and the server's own overhead", async () => {
    const backend = await startGpuServer({ port: 0, loadedModel: KING });
    try {
      const report = await runBench(backend, { videos: 3, request: { width: 64, height: 48, fps: 8, frames: 4 } });
      expect(report).toMatchObject({
        renderer: 'test-card',
        model: KING,
        peak_vram_bytes: null,
        cold_start_s: { load: expect.any(Number), warmup: expect.any(Number), total: expect.any(Number) },
      });
      expect(report.cold_start_s.fetch).toBeUndefined();
      expect(report.videos).toHaveLength(3);
      for (const v of report.videos) {
        expect(v.seconds).toBeGreaterThan(0);
        expect(v.render_seconds).toBeGreaterThan(0);
        expect(v.render_seconds).toBeLessThanOrEqual(v.seconds);
        expect(v.overhead_ms).toBeCloseTo((v.seconds - v.render_seconds) * 1000, -1);
      }
      expect(backend.stats().started).toBe(3);
      expect(benchTable(report)).toContain('server overhead per prediction: median');
    } finally {
      await backend.close();
    }
  });

  it('runs from the command line against the Wan worker (stand-in): JSON on stdout, the table on stderr', async () => {
    const build = await sharedBuild();
    const { stdout, stderr } = await run(
      process.execPath,
      [
        join(build, 'gpu/server/main.js'),
        '--bench',
        '2',
        '--renderer',
        'wan2.2',
        '--model',
        `${KING.repo}@${KING.digest}`,
        '--weights-dir',
        snapshot,
        '--placement',
        'none',
        '--python',
        '/usr/bin/python3',
        '--worker-dir',
        resolve('gpu/worker'),
      ],
      {
        env: { ...process.env, PYTHONPATH: resolve('test/fixtures/wan-standin'), PYTHONDONTWRITEBYTECODE: '1', LEOMA_STANDIN_PEAK_VRAM: String(41 * 2 ** 30) },
        timeout: 240_000,
      },
    );
    const report = JSON.parse(stdout) as Record<string, any>;
    expect(report).toMatchObject({ renderer: 'wan2.2', model: KING, peak_vram_bytes: 41 * 2 ** 30 });
    expect(Object.keys(report.cold_start_s).sort()).toEqual(['fetch', 'load', 'total', 'warmup']);
    expect(report.videos).toHaveLength(2);
    expect(stderr).toContain('peak VRAM: 41.0 GiB');
    expect(stderr).toMatch(/cold start: fetch [\d.]+ s, load [\d.]+ s, warm-up [\d.]+ s/);
  }, 300_000);

  it('refuses a Wan server without a model or weights, and an unknown renderer, before starting', async () => {
    const build = await sharedBuild();
    const main = join(build, 'gpu/server/main.js');
    for (const [args, message] of [
      [['--renderer', 'wan2.2'], '--renderer wan2.2 needs --model and its weights'],
      [['--renderer', 'sdxl'], '--renderer must be test-card or wan2.2'],
      [['--model', 'leoma/wan@main'], '--model must be <repo>@'],
      [['--weights-dir', snapshot], '--weights-dir and --cache-dir need --model'],
    ] as const) {
      const failed = await run(process.execPath, [main, ...args, '--port', '0']).then(
        () => null,
        (err: { code?: number; stderr?: string }) => err,
      );
      expect(failed?.code, args.join(' ')).toBe(2);
      expect(failed?.stderr, args.join(' ')).toContain(message);
    }
  }, 300_000);
});
