import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BurnExecutor } from './burn-executor.service.js';
import { treasuryEnv } from './treasury.env.js';

/**
 * The worker's burn schedule. At start-up it runs once when live, so every unfinished burn is
 * reconciled with the chain before anything new is signed; then every TREASURY_BURN_INTERVAL_MS.
 */
@Injectable()
export class BurnScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BurnScheduler.name);
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly executor: BurnExecutor) {}

  onApplicationBootstrap(): void {
    const interval = treasuryEnv.get().TREASURY_BURN_INTERVAL_MS;
    if (interval > 0 || this.executor.live()) this.schedule(0);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.executor
        .run()
        .then((r) => r.done)
        .catch((e: Error) => this.logger.warn(`burn run failed: ${e.message}`))
        .finally(() => {
          const interval = treasuryEnv.get().TREASURY_BURN_INTERVAL_MS;
          if (interval > 0) this.schedule(interval);
        });
    }, delay);
    this.timer.unref();
  }
}
