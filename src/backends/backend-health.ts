import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BackendsRedis } from './redis-client.js';
import { BackendPool, sandboxTargets } from './backend-pool.service.js';
import { ADAPTERS } from './adapters/adapters.js';
import type { BackendHealth } from './adapters/backend-adapter.js';
import { backendsEnv } from './backends.env.js';

export interface HealthReading {
  status: BackendHealth;
  checked_at: string;
}

/** Latest health reading per backend, in Redis so the API and every worker see the same. */
@Injectable()
export class HealthStore {
  constructor(private readonly redis: BackendsRedis) {}

  async all(): Promise<Map<string, HealthReading>> {
    const raw = await this.redis.client.hgetall(this.redis.key('health'));
    const staleBefore = Date.now() - 3 * backendsEnv.get().BACKEND_HEALTH_INTERVAL_MS;
    const readings = new Map<string, HealthReading>();
    for (const [id, json] of Object.entries(raw)) {
      const reading = JSON.parse(json) as HealthReading;
      // An old reading says nothing about now; treat the backend as unknown rather than down.
      if (Date.parse(reading.checked_at) >= staleBefore) readings.set(id, reading);
    }
    return readings;
  }

  async record(id: string, status: BackendHealth): Promise<void> {
    await this.redis.client.hset(this.redis.key('health'), id, JSON.stringify({ status, checked_at: new Date().toISOString() }));
  }
}

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
    const targets = [...(await this.pool.targets()), ...sandboxTargets()];
    await Promise.all(
      targets.map(async (b) => {
        const status = await ADAPTERS[b.protocol].health(b, timeoutMs).catch((): BackendHealth => 'down');
        await this.store.record(b.id, status);
      }),
    );
  }
}
