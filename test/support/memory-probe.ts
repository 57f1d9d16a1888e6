/**
 * Preloaded into a child process (`node --expose-gc --import <this file>`): measures the memory the
 * process holds live — the V8 heap in use plus the memory outside it (Buffers, ArrayBuffers), after
 * a full garbage collection, every MEMORY_PROBE_MS or five times as long as the collection took
 * (so the probe never takes more than a fifth of the process's time on a loaded machine) — and writes the peak since the last reset to
 * MEMORY_PROBE_FILE as JSON. Unlike the resident set size, which keeps memory the allocator has not
 * returned and garbage not collected yet, this counts only what the code still references: a file
 * read whole shows as its size, a file streamed does not. SIGUSR2 resets the peak (after start-up).
 * Node-only syntax (types stripped), as the child runs the production build, not vitest.
 */
import { renameSync, writeFileSync } from 'node:fs';

const file = process.env.MEMORY_PROBE_FILE;
const every = Number(process.env.MEMORY_PROBE_MS ?? 500);
const collect = (globalThis as { gc?: () => void }).gc;
if (!file || !collect) throw new Error('memory-probe needs MEMORY_PROBE_FILE and --expose-gc');

const MB = 1024 * 1024;
let peak = { live: 0, heap: 0, external: 0 };
let samples = 0;

/** Returns how long the collection took. */
function sample(): number {
  const start = performance.now();
  collect!();
  const took = performance.now() - start;
  const m = process.memoryUsage();
  const live = m.heapUsed + m.external;
  samples++;
  if (live > peak.live) peak = { live, heap: m.heapUsed, external: m.external };
  const mb = (n: number) => Math.round(n / MB);
  // Written aside and renamed over: a reader never sees half a file.
  writeFileSync(
    `${file}.tmp`,
    JSON.stringify({
      samples,
      now: { live: mb(live), heap: mb(m.heapUsed), external: mb(m.external), rss: mb(m.rss) },
      peak: { live: mb(peak.live), heap: mb(peak.heap), external: mb(peak.external) },
    }),
  );
  renameSync(`${file}.tmp`, file!);
  return took;
}

process.on('SIGUSR2', () => {
  peak = { live: 0, heap: 0, external: 0 };
});
const loop = (): void => {
  setTimeout(loop, Math.max(every, 5 * sample())).unref();
};
loop();
