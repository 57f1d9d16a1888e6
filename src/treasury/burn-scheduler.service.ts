import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BurnExecutor } from './burn-executor.service.js';
import { treasuryEnv } from './treasury.env.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';

/** Every TREASURY_BURN_INTERVAL_MS; with no interval (0) the start-up run is the only one. */
const nextRun = () => treasuryEnv.get().TREASURY_BURN_INTERVAL_MS || null;

/**
 * The worker's burn schedule. At start-up it runs once when live, so every unfinished burn is
 * reconciled with the chain before anything new is signed; then every TREASURY_BURN_INTERVAL_MS.
 */
@Injectable()
export class BurnScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop = new PollLoop({ name: 'burn run', run: () => this.executor.run(), next: nextRun, afterError: nextRun, logLevel: 'warn' });

  constructor(private readonly executor: BurnExecutor) {}

  onApplicationBootstrap(): void {
    const interval = treasuryEnv.get().TREASURY_BURN_INTERVAL_MS;
    if (interval > 0 || this.executor.live()) this.loop.start();
  }

  /**
   * Stops scheduling without waiting for a run in flight: the executor ends that run itself when
   * it is destroyed, which may come after this hook, so waiting here could hang the shutdown.
   */
  onModuleDestroy(): void {
    void this.loop.stop();
  }
}
