import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BackendsRedis } from './redis-client.js';
import { BackendPool, sandboxTargets } from './backend-pool.service.js';
import { ADAPTERS } from './adapters/adapters.js';
import type { HealthAnswer } from './gpu/health-answer.js';
import { backendsEnv } from './backends.env.js';
import { HealthStore } from './health-store.js';

/** Checks every backend on a schedule; a Redis lock lets one worker per interval do it. */
@Injectable()
export class HealthChecker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HealthChecker.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly redis: BackendsRedis, private readonly pool: BackendPool, private readonly store: HealthStore) {}

  onApplicationBootstrap(): void {
    const every = backendsEnv.get().BACKEND_HEALTH_INTERVAL_MS;
    if (every === 0) return;
    this.timer = setInterval(() => void this.tick(every).catch((e: Error) => this.logger.warn(`health round failed: ${e.message}`)), every);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async tick(every: number): Promise<void> {
    const mine = await this.redis.client.set(this.redis.key('health-lock'), '1', 'PX', Math.max(1, every - 50), 'NX');
    if (mine === 'OK') await this.checkAll(Math.min(5_000, every));
  }

  async checkAll(timeoutMs: number): Promise<void> {
    const targets = [...(await this.pool.targets(true)), ...sandboxTargets()];
    await Promise.all(
      targets.map(async (b) => {
        const answer = await ADAPTERS[b.protocol].health(b, timeoutMs).catch((): HealthAnswer => ({ status: 'down', renderer: null, progress: null }));
        await this.store.record(b.id, answer);
      }),
    );
  }
}
