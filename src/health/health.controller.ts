import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator, type HealthIndicatorResult } from '@nestjs/terminus';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Public } from '../core/auth/auth.decorators.js';
import { QueueName } from '../platform/queue/queue-names.js';
import { Draining } from '../platform/lifecycle/draining.js';
import { healthDocs } from './health.docs.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    @InjectQueue(QueueName.Videos) private readonly queue: Queue,
    private readonly draining: Draining,
  ) {}

  @Get('live')
  @ApiOperation(healthDocs.healthLive)
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation(healthDocs.healthReady)
  ready() {
    // Shutting down: take this replica out of the Service while in-flight requests finish.
    // S3 is left out on purpose: it is shared by every replica, so a storage outage would take them
    // all out of the Service, and clients would get connection errors for the reads and file-id
    // submissions that work without it, instead of a 503 problem for the uploads that do not.
    if (this.draining.active) throw new ServiceUnavailableException({ status: 'error', error: { draining: { status: 'down' } } });
    return this.health.check([
      () => this.db.pingCheck('postgres', { timeout: 2000 }),
      () =>
        this.check('redis', async () => {
          const client = await this.queue.client;
          await client.get('leoma:health');
        }),
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
