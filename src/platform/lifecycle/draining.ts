import { Global, Injectable, Logger, Module } from '@nestjs/common';

/**
 * The process is shutting down: readiness answers 503 from here on (so no new traffic or jobs are
 * routed to it) and whoever holds long-lived work (event streams) lets go. Begun by the signal
 * handler of the role, before the Nest app is closed.
 */
@Injectable()
export class Draining {
  private readonly logger = new Logger(Draining.name);
  private readonly listeners = new Set<() => void>();
  private begun = false;

  get active(): boolean {
    return this.begun;
  }

  /** Runs `fn` when draining begins; returns the unsubscribe. */
  onDrain(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  begin(): void {
    if (this.begun) return;
    this.begun = true;
    for (const fn of this.listeners) {
      try {
        fn();
      } catch (e) {
        this.logger.error(`a drain listener failed: ${(e as Error).message}`);
      }
    }
    this.listeners.clear();
  }
}

@Global()
@Module({ providers: [Draining], exports: [Draining] })
export class LifecycleModule {}
