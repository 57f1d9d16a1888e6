import { errorMessage } from './run-prediction.js';
import type { Lifecycle } from './lifecycle.js';
import type { ColdStartPhase, GpuMetrics } from './metrics.js';
import type { ModelRef } from './model-ref.js';
import type { Renderer, RenderRequest } from './renderer.js';
import type { WeightSource } from './weight-source.js';

export interface StartUpPlan {
  model: ModelRef | null;
  /** Null: the renderer needs no weights (the test card). */
  weights: WeightSource | null;
  renderer: Renderer;
  /** One generation before READY, so the first customer does not pay for compilation and caches. */
  warmUp: RenderRequest | null;
}

/**
 * fetch → load → warm-up → READY, each phase in the health answer's progress and timed in the
 * cold-start metric; any failure is SETUP_FAILED with its reason. Never throws.
 */
export async function startUp(plan: StartUpPlan, lifecycle: Lifecycle, metrics: GpuMetrics, signal: AbortSignal): Promise<void> {
  const timed = async <T>(phase: ColdStartPhase, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      metrics.coldStartSeconds.set({ phase }, (performance.now() - started) / 1000);
    }
  };
  try {
    let snapshotDir: string | null = null;
    if (plan.weights && plan.model) {
      const { weights, model } = plan;
      lifecycle.enter('fetching', `${model.repo}@${model.digest}`);
      let reported: number | null = null;
      snapshotDir = await timed('fetch', () =>
        weights.fetch(
          model,
          (p) => {
            // A snapshot complete at the first report was already on this machine (a cache hit,
            // --weights-dir): its bytes are not bytes fetched.
            reported ??= p.bytesTotal !== null && p.bytesDone >= p.bytesTotal ? p.bytesDone : 0;
            metrics.bytesFetched.inc(Math.max(0, p.bytesDone - reported));
            reported = Math.max(reported, p.bytesDone);
            lifecycle.progress = { ...lifecycle.progress, bytes_done: p.bytesDone, bytes_total: p.bytesTotal };
          },
          signal,
        ),
      );
    }
    lifecycle.enter('loading', snapshotDir);
    await timed('load', () => plan.renderer.load(snapshotDir, signal));
    if (plan.warmUp) {
      const warmUp = plan.warmUp;
      lifecycle.enter('warming', `one ${warmUp.width}x${warmUp.height} ${warmUp.frames}-frame generation`);
      await timed('warmup', () => plan.renderer.render(warmUp, signal));
    }
    signal.throwIfAborted();
    lifecycle.ready();
  } catch (err) {
    lifecycle.failed(signal.aborted ? 'start-up interrupted by shutdown' : errorMessage(err));
    // A server that will never serve must not hold the GPU (or keep restarting a worker).
    await plan.renderer.close().catch(() => undefined);
  }
}
