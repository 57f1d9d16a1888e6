import { Controller, Get, Param, Res, type OnModuleDestroy } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentTenant, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { StreamSlots, videosEnv } from '../videos/index.js';
import { BatchesService } from './batches.service.js';
import { BatchProgressFeed } from './batch-progress-feed.js';
import { requestCounts } from './batch-events.js';
import type { Batch } from './batch.entity.js';

const HEARTBEAT_MS = 15_000;

/** Nothing more will change: finished, or canceled with no item still running. */
const settled = (b: Batch) => b.status === 'completed' || b.status === 'failed' || (b.status === 'canceled' && b.running === 0);

/**
 * Server-Sent Events for one batch: `batch.progress` with the status and counts now, then at every
 * change, ending once the batch has settled. Each message's `id:` is the batch's update time; a
 * reconnect simply starts from the current counts. Same caps and lifetime as the video streams.
 */
@ApiTags('batches')
@ApiBearerAuth()
@Controller('v1/batches')
export class BatchEventStreamController implements OnModuleDestroy {
  private readonly open = new Set<(lifetimeOver: boolean) => void>();

  constructor(private readonly batches: BatchesService, private readonly feed: BatchProgressFeed, private readonly slots: StreamSlots) {}

  @Get(':id/events')
  @Scopes('videos:read')
  @ApiOperation({ summary: "Follow a batch's counts as Server-Sent Events; the stream ends when the batch has settled", operationId: 'streamBatchEvents', description: 'Server-Sent Events (`text/event-stream`) of `batch.progress` messages (`{id, status, request_counts}`) whenever the counts change; the stream ends when the batch has settled. Resume with `Last-Event-ID`.' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'Each message: `event: batch.progress`, `data` = `{id, object, status, request_counts}`.' })
  async stream(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const first = await this.batches.get(who.tenantId, id, who.livemode);
    const release = await this.slots.acquire(who.tenantId);
    try {
      res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no', Connection: 'keep-alive' });
      res.flushHeaders();
      await this.follow(who.tenantId, first, res);
    } finally {
      await release();
    }
  }

  onModuleDestroy(): void {
    for (const end of this.open) end(true);
  }

  private follow(tenantId: string, first: Batch, res: Response): Promise<void> {
    const env = videosEnv.get();
    return new Promise<void>((resolve) => {
      let unsubscribe = () => {};
      let ended = false;
      let last = '';
      const end = (lifetimeOver: boolean) => {
        if (ended) return;
        ended = true;
        unsubscribe();
        clearTimeout(lifetime);
        clearInterval(heartbeat);
        this.open.delete(end);
        if (lifetimeOver) res.write(`retry: ${env.EVENTS_STREAM_RETRY_MS}\n\n`);
        res.end();
        resolve();
      };
      const send = (b: Batch) => {
        const data = JSON.stringify({ id: b.id, object: 'batch', status: b.status, request_counts: requestCounts(b) });
        if (data !== last) {
          last = data;
          res.write(`id: ${b.updatedAt.getTime()}\nevent: batch.progress\ndata: ${data}\n\n`);
        }
        if (settled(b)) end(false);
      };
      const lifetime = setTimeout(() => end(true), env.EVENTS_STREAM_MAX_MS);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      this.open.add(end);
      res.on('close', () => end(false));
      send(first);
      if (!ended) unsubscribe = this.feed.subscribe({ tenantId, batchId: first.id, deliver: send });
    });
  }
}
