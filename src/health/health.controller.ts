import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator, type HealthIndicatorResult } from '@nestjs/terminus';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Public } from '../core/auth/auth.decorators.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { QueueName } from '../platform/queue/queue-names.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly storage: StorageService,
    @InjectQueue(QueueName.Videos) private readonly queue: Queue,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up', operationId: 'healthLive', description: "Answers 200 while the process runs; for a liveness probe. Needs no key." })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: PostgreSQL, Redis and S3 answer', operationId: 'healthReady', description: "Answers 200 when PostgreSQL, Redis and S3 answer, 503 otherwise; for a readiness probe. Needs no key." })
  ready() {
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
