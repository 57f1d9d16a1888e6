import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * How late this process's event loop has been running since the last reading: the signal that
 * this replica, and only it, is too busy to serve (a CPU-bound burst, a GC storm), as opposed to a
 * shared dependency being down.
 */
export class EventLoopLoad {
  private readonly histogram = monitorEventLoopDelay({ resolution: 20 });

  constructor() {
    this.histogram.enable();
  }

  /** p99 delay in ms since the previous call; the window restarts. */
  takeP99Ms(): number {
    const p99 = this.histogram.count > 0 ? this.histogram.percentile(99) / 1e6 : 0;
    this.histogram.reset();
    return p99;
  }

  stop(): void {
    this.histogram.disable();
  }
}
