import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Hands memory V8 no longer needs back to the system once the process is ready, and again whenever
 * it goes quiet after a busy spell (issue 36). V8 keeps its young generation at the size the busiest
 * moment needed (start-up's imports grow it to `--max-semi-space-size`) and its old generation
 * fragmented, and its own memory reducer seldom runs in a server: it sees the allocation rate of the
 * last request burst and keeps postponing. Measured on the api's module graph: 184 MB RSS after the
 * imports, of which the new space held 27 MB with nothing live in it; 146 MB after one
 * memory-reducing collection.
 *
 * The collection blocks the event loop (tens of ms on a quiet machine), so it only runs when the
 * loop has been almost idle for a whole check interval: a request arriving then waits for it once.
 * Nothing is done per request; the check is one unref'd timer reading the loop's utilisation.
 */
const CHECK_MS = 2_000;
/** Below this share of the interval spent running JS the process counts as quiet. */
const QUIET_UTILISATION = 0.02;
/** At or above this, the interval counts as busy: memory may have grown, so the next quiet interval releases it. */
const BUSY_UTILISATION = 0.1;

type Gc = (opts: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/** V8's own gc function, without exposing `gc` on the global object of the app. */
function memoryReducingGc(): Gc {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as Gc;
  v8.setFlagsFromString('--no-expose-gc');
  return gc;
}

/** Releases memory now, then whenever the process goes quiet after being busy (the timer is unref'd: it never keeps the process up). */
export function releaseMemoryWhenQuiet(): void {
  const gc = memoryReducingGc();
  const release = () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  // Ready: whatever start-up allocated and dropped goes now, before the first request.
  release();
  let dirty = false;
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    if (utilization >= BUSY_UTILISATION) dirty = true;
    else if (dirty && utilization < QUIET_UTILISATION) {
      dirty = false;
      release();
      // The collection's own time is not the app's work.
      last = performance.eventLoopUtilization();
    }
  }, CHECK_MS);
  timer.unref();
}
