import { Controller, Get, Logger, Param, Res, type OnModuleDestroy } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { StreamSlots, videosEnv } from '../videos/index.js';
import { beginEventStream, EventStreams, type EventStream } from '../platform/http/event-stream.js';
import { Draining } from '../platform/lifecycle/draining.js';
import { ProblemException } from '../platform/http/problem.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { BatchesService } from './batches.service.js';
import { BatchProgressFeed } from './batch-progress-feed.js';
import { requestCounts } from './batch-events.js';
import type { Batch } from './batch.entity.js';
import { batchEventStreamDocs } from './batch-event-stream.docs.js';

/** Nothing more will change: finished, or canceled with no item still running. */
const settled = (b: Batch) => b.status === 'completed' || b.status === 'failed' || b.status === 'expired' || (b.status === 'canceled' && b.running === 0);

/**
 * Server-Sent Events for one batch: `batch.progress` with the status and counts now, then at every
 * change, ending once the batch has settled. Each message's `id:` is the batch's update time; a
 * reconnect simply starts from the current counts. Same caps and lifetime as the video streams.
 */
@ApiTags('batches')
@ApiBearerAuth()
@KeyModes('live', 'test')
@Controller('v1/batches')
export class BatchEventStreamController implements OnModuleDestroy {
  private readonly logger = new Logger(BatchEventStreamController.name);
  /** Ended on shutdown and drain, so clients resume elsewhere instead of holding the server open. */
  private readonly streams = new EventStreams();

  constructor(
    private readonly batches: BatchesService,
    private readonly feed: BatchProgressFeed,
    private readonly slots: StreamSlots,
    private readonly draining: Draining,
  ) {
    this.draining.onDrain(() => this.onModuleDestroy());
  }

  @Get(':id/events')
  @Scopes('videos:read')
  @ProblemCodes('too_many_streams', 'stream_capacity_reached')
  @ApiOperation(batchEventStreamDocs.streamBatchEvents)
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'Each message: `event: batch.progress`, `data` = `{id, object, status, request_counts}`.' })
  async stream(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const first = await this.batches.get(who.tenantId, id, who.livemode);
    if (this.draining.active)
      throw new ProblemException(503, 'service_unavailable', 'This server is shutting down; retry.', { headers: { 'Retry-After': '1' } });
    const release = await this.slots.acquire(who.tenantId);
    try {
      beginEventStream(res);
      await this.follow(who.tenantId, first, res);
    } finally {
      await release();
    }
  }

  onModuleDestroy(): void {
    this.streams.endAll();
  }

  private follow(tenantId: string, first: Batch, res: Response): Promise<void> {
    const env = videosEnv.get();
    let last = '';
    const send = (stream: EventStream, b: Batch) => {
      const data = JSON.stringify({ id: b.id, object: 'batch', status: b.status, request_counts: requestCounts(b) });
      if (data !== last) {
        last = data;
        stream.send(String(b.updatedAt.getTime()), 'batch.progress', data);
      }
      if (settled(b)) stream.end();
    };
    return this.streams.follow(res, {
      maxMs: env.EVENTS_STREAM_MAX_MS,
      retryMs: env.EVENTS_STREAM_RETRY_MS,
      onError: (e) => this.logger.warn(`progress stream for ${first.id} broke off: ${e.message}`),
      start: (stream) => send(stream, first),
      subscribe: (stream) => this.feed.subscribe({ tenantId, batchId: first.id, deliver: (b) => send(stream, b) }),
    });
  }
}
