import { Controller, Get, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Public } from '../core/auth/auth.decorators.js';
import { QueueName } from '../platform/queue/queue-names.js';
import { Draining } from '../platform/lifecycle/draining.js';
import { appEnv } from '../platform/config/app.env.js';
import { ProblemException } from '../platform/http/problem.js';
import { healthDocs } from './health.docs.js';
import { EventLoopLoad } from './event-loop-load.js';
import { reportDependencies } from './dependency-metrics.js';

const PROBE_TIMEOUT_MS = 2000;

/** Readiness and dependencies; liveness is answered ahead of Nest's router (liveness.ts). */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly load = new EventLoopLoad();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Videos) private readonly queue: Queue,
    private readonly draining: Draining,
  ) {
    reportDependencies(() => this.probeDependencies());
  }

  /** Start-up itself blocks the event loop; the first window starts once the app is up. */
  onApplicationBootstrap(): void {
    this.load.takeP99Ms();
  }

  onModuleDestroy(): void {
    this.load.stop();
    reportDependencies(undefined);
  }

  @Get('ready')
  @ApiOperation(healthDocs.healthReady)
  ready() {
    // Only what is wrong with this replica takes it out of the Service. PostgreSQL, Redis and S3
    // are shared by every replica: failing readiness on them would empty the Service of all of
    // them at once during a 10-second failover, and clients would get connection errors instead
    // of the 503 problems the routes that need the dependency answer.
    if (this.draining.active) throw new ProblemException(503, 'service_unavailable', 'This replica is shutting down.', { reason: 'draining' });
    const delayMs = Math.round(this.load.takeP99Ms());
    const maxMs = appEnv.get().API_READY_MAX_EVENT_LOOP_DELAY_MS;
    if (delayMs > maxMs)
      throw new ProblemException(503, 'service_unavailable', `This replica is overloaded: its event loop ran up to ${delayMs} ms late (limit ${maxMs} ms).`, {
        reason: 'overloaded',
      });
    return { status: 'ok' };
  }

  @Get('dependencies')
  @ApiOperation(healthDocs.healthDependencies)
  async dependencies() {
    const details = await this.probeDependencies();
    const up = Object.values(details).every((d) => d.up);
    if (!up) throw new ProblemException(503, 'service_unavailable', 'A dependency of this process does not answer.', { details });
    return { status: 'ok', details };
  }

  private async probeDependencies(): Promise<Record<string, { up: boolean; message?: string }>> {
    const [postgres, redis] = await Promise.all([
      probe(() => this.db.query('SELECT 1')),
      probe(async () => {
        const client = await this.queue.client;
        await client.get('leoma:health');
      }),
    ]);
    return { postgres, redis };
  }
}

async function probe(check: () => Promise<unknown>): Promise<{ up: boolean; message?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS))),
    ]);
    return { up: true };
  } catch (e) {
    return { up: false, message: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
