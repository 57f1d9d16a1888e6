import { afterAll, vi } from 'vitest';
import { ALL_ENVS } from '../../src/app/validate-all.js';
import { metricsRegistry } from '../../src/platform/metrics/registry.js';
import { stopTracing } from '../../src/platform/tracing/tracing.js';
import { closeOpenApps } from './open-apps.js';

/**
 * Test files share their worker process (vitest's `isolate: false`): the modules a file imported
 * stay loaded for the next one, which saves re-importing the app's module graph for every file.
 * What a file leaves in the process must not reach the next one, so when each file ends:
 * - an app it started and never closed (a hook that timed out) is closed;
 * - a clock it faked runs real again, and tracing it started is stopped (hooks and provider gone);
 * - its changes to process.env are undone and every module's parsed settings dropped;
 * - the process-wide metrics start again from zero, as in a new process;
 * - fetch gets a new connection pool, so no kept-alive socket to a server the file closed (whose
 *   port the next file's server may get) is reused.
 */
const before = { ...process.env };
const FETCH_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

afterAll(async () => {
  await closeOpenApps();
  vi.useRealTimers();
  await stopTracing();
  for (const name of Object.keys(process.env)) if (!(name in before)) delete process.env[name];
  Object.assign(process.env, before);
  for (const env of ALL_ENVS) env.forget();
  metricsRegistry.resetMetrics();
  const global = globalThis as unknown as Record<symbol, { destroy(): Promise<void> } | undefined>;
  const used = global[FETCH_DISPATCHER];
  if (used) {
    global[FETCH_DISPATCHER] = new (used.constructor as new () => { destroy(): Promise<void> })();
    await used.destroy();
  }
});
