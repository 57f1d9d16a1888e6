import { Logger } from '@nestjs/common';

export interface PollLoopOptions<T> {
  /** Names the loop in its log lines. */
  name: string;
  /** One pass. */
  run: () => Promise<T>;
  /** The delay before the next pass after one that succeeded; null stops the loop. */
  next: (result: T) => number | null;
  /** The delay before the next pass after one that threw (it is logged); null stops the loop. */
  afterError: (error: Error) => number | null;
  /** How a failed pass is logged: background loops that retry on their own only warn. */
  logLevel?: 'error' | 'warn';
}

/**
 * A self-rescheduling background loop: one pass at a time, the next scheduled only once the last
 * has settled (so a slow pass never overlaps the next), and a stop that waits for the pass in
 * flight. Timers are unref'd: a loop never keeps a process alive on its own.
 */
export class PollLoop<T> {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly opts: PollLoopOptions<T>) {
    this.logger = new Logger(opts.name);
  }

  start(delayMs = 0): void {
    this.stopped = false;
    this.schedule(delayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number | null): void {
    if (this.stopped || ms === null) return;
    this.timer = setTimeout(() => {
      this.running = this.opts.run().then(
        (result) => this.schedule(this.opts.next(result)),
        (e: Error) => {
          this.logger[this.opts.logLevel ?? 'error'](`${this.opts.name}: ${e.message}`);
          this.schedule(this.opts.afterError(e));
        },
      );
    }, ms);
    this.timer.unref();
  }
}
