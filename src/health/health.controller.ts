import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator, type HealthIndicatorResult } from '@nestjs/terminus';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Public } from '../core/auth/auth.decorators.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { QueueName } from '../platform/queue/queue-names.js';
import { Draining } from '../platform/lifecycle/draining.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly storage: StorageService,
    @InjectQueue(QueueName.Videos) private readonly queue: Queue,
    private readonly draining: Draining,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up', operationId: 'healthLive', description: "Answers 200 while the process runs; for a liveness probe. Needs no key." })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: PostgreSQL, Redis and S3 answer and the process is not shutting down', operationId: 'healthReady', description: "Answers 200 when PostgreSQL, Redis and S3 answer and the process is not draining, 503 otherwise; for a readiness probe. Needs no key." })
  ready() {
    // Shutting down: take this replica out of the Service while in-flight requests finish.
    if (this.draining.active) throw new ServiceUnavailableException({ status: 'error', error: { draining: { status: 'down' } } });
    return this.health.check([
      () => this.db.pingCheck('postgres', { timeout: 2000 }),
      () => this.check('redis', async () => {
        const client = await this.queue.client;
        await client.get('leoma:health');
      }),
      () => this.check('s3', () => this.storage.ping()),
    ]);
  }

  private async check(key: string, probe: () => Promise<void>): Promise<HealthIndicatorResult> {
    try {
      await withTimeout(probe(), 2000);
      return { [key]: { status: 'up' } };
    } catch (e) {
      return { [key]: { status: 'down', message: (e as Error).message } };
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);
}
