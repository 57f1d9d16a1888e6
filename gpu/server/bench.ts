import { greyPng } from './blank-image.js';
import type { ReferenceBackend } from './server.js';

export interface BenchRequest {
  width: number;
  height: number;
  fps: number;
  frames: number;
}

export interface BenchReport {
  renderer: string;
  model: { repo: string; digest: string } | null;
  /** Seconds in each start-up phase (absent phases were not run). */
  cold_start_s: Partial<Record<'fetch' | 'load' | 'warmup', number>> & { total: number };
  videos: { seconds: number; render_seconds: number; overhead_ms: number; peak_vram_bytes: number | null }[];
  seconds_per_video: { median: number; min: number; max: number };
  peak_vram_bytes: number | null;
  /** The server's own time per prediction: the client's wall time minus the renderer's. */
  overhead_ms: { median: number; p95: number; max: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? 0;
const round = (n: number, digits = 3) => Number(n.toFixed(digits));

async function histogramSum(backend: ReferenceBackend): Promise<number> {
  const { values } = await backend.metrics.generationSeconds.get();
  return values.filter((v) => v.metricName === 'leoma_gpu_generation_seconds_sum').reduce((sum, v) => sum + v.value, 0);
}

/**
 * Measures a started server: its cold start (waits for READY), then `videos` predictions one
 * after another through its HTTP API, each timed from outside and split into the renderer's time
 * and the server's own. What an operator runs on a new GPU (`bench`), and `npm run bench` with the
 * test card.
 */
export async function runBench(
  backend: ReferenceBackend,
  opts: {
    videos: number;
    request: BenchRequest;
    image?: Buffer;
    prompt?: string;
    /** Calls made first and not counted (connections, JIT, caches). */
    warmUpCalls?: number;
    /** One seed for every call (the test card then answers from its render cache: overhead alone). Default: a new seed each call. */
    sameSeed?: boolean;
  },
): Promise<BenchReport> {
  const startedAt = performance.now();
  await backend.ready;
  const health = await backend.health();
  if (health.status !== 'READY') throw new Error(`the server is ${health.status}${health.progress.detail ? `: ${health.progress.detail}` : ''}`);
  const phases: BenchReport['cold_start_s'] = { total: round((performance.now() - startedAt) / 1000) };
  for (const v of (await backend.metrics.coldStartSeconds.get()).values) phases[v.labels.phase as 'fetch' | 'load' | 'warmup'] = round(v.value);

  const image = `data:image/png;base64,${(opts.image ?? greyPng(opts.request.width, opts.request.height)).toString('base64')}`;
  const input = {
    image,
    prompt: opts.prompt ?? 'a calm lake at dawn, slow camera pan',
    ...opts.request,
    num_frames: opts.request.frames,
    duration_seconds: opts.request.frames / opts.request.fps,
    seed: 42,
    ...(health.model ? { model: health.model } : {}),
  };
  const videos: BenchReport['videos'] = [];
  const calls = (opts.warmUpCalls ?? 0) + opts.videos;
  for (let i = 0; i < calls; i++) {
    const before = await histogramSum(backend);
    const t = performance.now();
    const res = await fetch(`${backend.url}/predictions/bench-${Date.now()}-${i}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { ...input, seed: opts.sameSeed ? 42 : 42 + i } }),
    });
    const body = (await res.json()) as { status?: string; error?: string; metrics?: { peak_vram_bytes?: number } };
    const seconds = (performance.now() - t) / 1000;
    if (res.status !== 200 || body.status !== 'succeeded')
      throw new Error(`bench prediction ${i} answered ${res.status} ${body.status ?? ''}: ${body.error ?? JSON.stringify(body).slice(0, 300)}`);
    const render = (await histogramSum(backend)) - before;
    if (i < (opts.warmUpCalls ?? 0)) continue;
    videos.push({
      seconds: round(seconds),
      render_seconds: round(render),
      overhead_ms: round((seconds - render) * 1000, 2),
      peak_vram_bytes: body.metrics?.peak_vram_bytes ?? null,
    });
  }
  const seconds = videos.map((v) => v.seconds);
  const overhead = videos.map((v) => v.overhead_ms);
  const peaks = videos.map((v) => v.peak_vram_bytes).filter((p): p is number => p !== null);
  return {
    renderer: health.renderer,
    model: health.model,
    cold_start_s: phases,
    videos,
    seconds_per_video: { median: median(seconds), min: Math.min(...seconds), max: Math.max(...seconds) },
    peak_vram_bytes: peaks.length ? Math.max(...peaks) : null,
    overhead_ms: { median: median(overhead), p95: p95(overhead), max: Math.max(...overhead) },
  };
}

/** The report as an operator reads it. */
export function benchTable(r: BenchReport): string {
  const gib = (b: number | null) => (b === null ? 'not reported' : `${(b / 2 ** 30).toFixed(1)} GiB`);
  const phase = (p: 'fetch' | 'load' | 'warmup') => (r.cold_start_s[p] === undefined ? '—' : `${r.cold_start_s[p]} s`);
  return [
    `renderer ${r.renderer}, model ${r.model ? `${r.model.repo}@${r.model.digest}` : 'none'}`,
    `cold start: fetch ${phase('fetch')}, load ${phase('load')}, warm-up ${phase('warmup')} (READY after ${r.cold_start_s.total} s of this run)`,
    `seconds per video: median ${r.seconds_per_video.median} s (min ${r.seconds_per_video.min}, max ${r.seconds_per_video.max}) over ${r.videos.length}`,
    `peak VRAM: ${gib(r.peak_vram_bytes)}`,
    `server overhead per prediction: median ${r.overhead_ms.median} ms, p95 ${r.overhead_ms.p95} ms`,
  ].join('\n');
}
