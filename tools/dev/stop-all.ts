export interface Stoppable {
  stop(): Promise<void>;
}

export interface ExitHandlingOptions {
  /** Also stop everything and exit 1 on an uncaught exception or unhandled rejection. */
  onErrors?: boolean;
  /** Where to report why the process is going down; defaults to console.error. */
  log?: (message: string) => void;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const SIGNAL_NUMBERS: Record<(typeof SIGNALS)[number], number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * Tracks what a launcher started so all of it can be stopped once, in reverse start order (the
 * app before the database it uses), whether the launcher finishes, fails half-way or is killed.
 */
export class StopAll {
  private readonly started: { name: string; service: Stoppable }[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private stopping: Promise<void> | undefined;

  /** True once stopAll() has begun: a child that exits from here on is being stopped, not crashing. */
  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /**
   * Registers a service while it is still starting, so a signal that arrives during a slow start
   * still stops it: if stopAll() has begun by the time it is up, it is stopped straight away and
   * this rejects.
   */
  start<T extends Stoppable>(name: string, starting: Promise<T>): Promise<T> {
    const tracked = (async () => {
      const service = await starting;
      if (this.stopping) {
        await service.stop();
        throw new Error(`${name} finished starting after shutdown had begun, so it was stopped again`);
      }
      this.started.push({ name, service });
      return service;
    })();
    this.pending.add(tracked);
    const untrack = (): void => void this.pending.delete(tracked);
    tracked.then(untrack, untrack);
    return tracked;
  }

  /** Idempotent. Stops everything even if some stops fail, then reports all failures together. */
  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      // Failed starts need no stop; a start that completes from here on stops itself in start().
      await Promise.allSettled([...this.pending]);
      const errors: Error[] = [];
      for (const { name, service } of this.started.splice(0).reverse()) {
        try {
          await service.stop();
        } catch (error) {
          errors.push(new Error(`stopping ${name} failed`, { cause: error }));
        }
      }
      if (errors.length > 0) throw new AggregateError(errors, 'some services did not stop cleanly');
    })();
    return this.stopping;
  }

  /**
   * Makes SIGINT/SIGTERM/SIGHUP (and optionally crashes) stop everything before the process exits
   * with the conventional 128+signal code. A second signal exits at once, for a stuck shutdown.
   * Returns a function that removes the handlers again.
   */
  exitOnSignals(options: ExitHandlingOptions = {}): () => void {
    const log = options.log ?? ((message: string) => console.error(message));
    let exiting = false;
    const shutDown = (code: number, reason: string): void => {
      if (exiting) {
        log(`${reason} during shutdown: exiting without waiting for it`);
        process.exit(code);
      }
      exiting = true;
      log(`${reason}: stopping local services`);
      this.stopAll().then(
        () => process.exit(code),
        (error: unknown) => {
          log(`shutdown incomplete: ${describe(error)}`);
          process.exit(code);
        },
      );
    };

    const onSignal = (signal: NodeJS.Signals): void => shutDown(128 + SIGNAL_NUMBERS[signal as (typeof SIGNALS)[number]], signal);
    const onError = (error: unknown): void => {
      log(`fatal: ${describe(error)}`);
      shutDown(1, 'fatal error');
    };

    for (const signal of SIGNALS) process.on(signal, onSignal);
    if (options.onErrors) {
      process.on('uncaughtException', onError);
      process.on('unhandledRejection', onError);
    }
    return () => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    };
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError) {
    return [error.message, ...error.errors.map((inner: unknown) => `  ${describe(inner)}`)].join('\n');
  }
  if (error instanceof Error) {
    return error.cause === undefined ? (error.stack ?? error.message) : `${error.message}: ${describe(error.cause)}`;
  }
  return String(error);
}
