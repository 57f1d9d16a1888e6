import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { WeightSource } from './weight-source.js';

export type ColdStartPhase = 'fetch' | 'load' | 'warmup';

/** The GPU server's Prometheus metrics (GET /metrics), on a registry of its own. */
export class GpuMetrics {
  readonly registry = new Registry();
  readonly generationSeconds = new Histogram({
    name: 'leoma_gpu_generation_seconds',
    help: 'Seconds the renderer spent on one generation, by outcome',
    labelNames: ['renderer', 'outcome'] as const,
    // From the test card's tens of milliseconds to Wan 2.2's ~250 s on one H100.
    buckets: [0.05, 0.25, 1, 5, 15, 30, 60, 120, 180, 240, 300, 420, 600, 900],
    registers: [this.registry],
  });
  readonly coldStartSeconds = new Gauge({
    name: 'leoma_gpu_cold_start_seconds',
    help: 'Seconds the last start-up (or worker restart) spent in each phase: fetch, load, warmup',
    labelNames: ['phase'] as const,
    registers: [this.registry],
  });
  readonly bytesFetched = new Counter({
    name: 'leoma_gpu_weights_bytes_fetched_total',
    help: 'Weight bytes the weight source reported fetched',
    registers: [this.registry],
  });
  readonly workerRestarts = new Counter({
    name: 'leoma_gpu_worker_restarts_total',
    help: 'Times the renderer went defunct (worker crash or poisoned GPU context) and was restarted',
    registers: [this.registry],
  });

  constructor(weights: WeightSource | null) {
    const cache = weights;
    // Read on scrape, so the figure is the cache as it is now, not as it was at start-up.
    new Gauge({
      name: 'leoma_gpu_cache_bytes',
      help: 'Weight cache disk use: used and free bytes',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        if (!cache) return;
        const usage = await cache.cacheUsage().catch(() => null);
        if (!usage) return;
        this.set({ kind: 'used' }, usage.usedBytes);
        this.set({ kind: 'free' }, usage.freeBytes);
      },
    });
  }
}
