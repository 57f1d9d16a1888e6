import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BurnExecutor } from './burn-executor.service.js';
import { BurnPolicies } from './burn-policies.service.js';
import { PollLoop } from '../platform/scheduling/poll-loop.js';

/** With no schedule in the policy, how often it is read again: a schedule finance sets takes effect within this long. */
const POLICY_RECHECK_MS = 60_000;

/**
 * The worker's burn schedule, from the burn policy in effect (burn_interval_ms). At start-up it
 * runs once when live, so every unfinished burn is reconciled with the chain before anything new
 * is signed; then every interval. With no interval (0) the start-up run is the only one, and the
 * policy is read again every minute.
 */
@Injectable()
export class BurnScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop = new PollLoop({ name: 'burn run', run: () => this.pass(), next: () => this.next(), afterError: () => this.next(), logLevel: 'warn' });
  private first = true;

  constructor(
    private readonly executor: BurnExecutor,
    private readonly policies: BurnPolicies,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  private async pass(): Promise<void> {
    const first = this.first;
    this.first = false;
    const { burnIntervalMs } = await this.policies.inEffect();
    if (burnIntervalMs > 0 || (first && this.executor.live())) await this.executor.run();
  }

  private next(): number {
    return this.policies.lastKnown().burnIntervalMs || POLICY_RECHECK_MS;
  }

  /**
   * Stops scheduling without waiting for a run in flight: the executor ends that run itself when
   * it is destroyed, which may come after this hook, so waiting here could hang the shutdown.
   */
  onModuleDestroy(): void {
    void this.loop.stop();
  }
}
