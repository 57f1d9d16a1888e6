import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PollLoop } from '../platform/scheduling/poll-loop.js';
import { BackendsRedis } from './redis-client.js';
import { BackendPool, sandboxTargets } from './backend-pool.service.js';
import { ADAPTERS } from './adapters/adapters.js';
import type { HealthAnswer } from './gpu/health-answer.js';
import { backendsEnv } from './backends.env.js';
import { HealthStore } from './health-store.js';
import type { BackendTarget } from './gpu-backend.entity.js';

/** Checks every backend on a schedule (a Redis lock lets one worker per interval do it), and any backend at once on request. */
@Injectable()
export class HealthChecker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop = new PollLoop({
    name: 'backend health',
    run: () => this.tick(backendsEnv.get().BACKEND_HEALTH_INTERVAL_MS),
    next: () => backendsEnv.get().BACKEND_HEALTH_INTERVAL_MS,
    afterError: () => backendsEnv.get().BACKEND_HEALTH_INTERVAL_MS,
    logLevel: 'warn',
  });

  constructor(
    private readonly redis: BackendsRedis,
    private readonly pool: BackendPool,
    private readonly store: HealthStore,
  ) {}

  onApplicationBootstrap(): void {
    const every = backendsEnv.get().BACKEND_HEALTH_INTERVAL_MS;
    if (every > 0) this.loop.start(every);
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  private async tick(every: number): Promise<void> {
    const mine = await this.redis.client.set(this.redis.key('health-lock'), '1', 'PX', Math.max(1, every - 50), 'NX');
    if (mine === 'OK') await this.checkAll(Math.min(5_000, every));
  }

  async checkAll(timeoutMs: number): Promise<void> {
    await this.probe([...(await this.pool.targets(true)), ...sandboxTargets()], timeoutMs);
  }

  /**
   * Checks these backends now and records their answers as a scheduled check would: dispatch asks
   * this of a backend it has no report of (lost in a Redis failover, or never checked yet). It
   * gets the scheduled check's longest wait: a slow answer from a loaded backend is not a dead one.
   */
  async probe(targets: BackendTarget[], timeoutMs = 5_000): Promise<void> {
    await Promise.all(
      targets.map(async (b) => {
        const answer = await ADAPTERS[b.protocol].health(b, timeoutMs).catch((): HealthAnswer => ({ status: 'down', renderer: null, progress: null }));
        await this.store.record(b.id, answer);
      }),
    );
  }
}
