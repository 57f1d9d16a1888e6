import { Controller, Get, Headers, Logger, Param, Req, Res, type OnModuleDestroy } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { In, LessThanOrEqual, MoreThan, type Repository } from 'typeorm';
import { CurrentTenant, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { notFound, ProblemException } from '../platform/http/problem.js';
import { Video } from './video.entity.js';
import { EventRecord } from '../platform/outbox/event.entity.js';
import { eventBody } from '../platform/outbox/event-body.js';
import { webhooksEnv } from '../webhooks/index.js';

const TERMINAL_EVENTS = ['video.succeeded', 'video.failed', 'video.canceled'] as const;
const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events for one video, read from the events table: every status change arrives in
 * order whichever process made it, `id:` is the event id, and `Last-Event-ID` resumes after it.
 * Polling the table keeps this stateless across API replicas (no pub/sub to lose messages).
 */
@ApiTags('videos')
@ApiBearerAuth()
@Controller('v1/videos')
export class VideoEventStreamController implements OnModuleDestroy {
  private readonly logger = new Logger(VideoEventStreamController.name);
  /** Set on shutdown so open streams end (clients resume elsewhere) instead of holding the server open. */
  private stopping = false;

  constructor(
    @InjectRepository(Video) private readonly videos: Repository<Video>,
    @InjectRepository(EventRecord) private readonly events: Repository<EventRecord>,
  ) {}

  @Get(':id/events')
  @Scopes('videos:read')
  @ApiOperation({ summary: "Follow a video's status changes as Server-Sent Events; the stream ends at a terminal status", operationId: 'streamVideoEvents' })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id.' })
  @ApiOkResponse({ description: 'Each message: `id` = event id, `event` = event type, `data` = the webhook payload.' })
  async stream(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Headers('last-event-id') lastEventId: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!(await this.videos.existsBy({ id, tenantId: who.tenantId }))) throw notFound('video', id);
    const resumeAfter = lastEventId === undefined ? null : await this.events.findOneBy({ id: lastEventId, objectId: id, tenantId: who.tenantId });
    if (lastEventId !== undefined && !resumeAfter) {
      throw new ProblemException(400, 'validation_failed', `Last-Event-ID '${lastEventId.slice(0, 40)}' is not an event of this video.`, { errors: [{ param: 'Last-Event-ID', code: 'invalid_event_id', message: 'not an event of this video' }] });
    }
    res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no', Connection: 'keep-alive' });
    res.flushHeaders();
    let closed = false;
    req.on('close', () => (closed = true));
    let cursor = resumeAfter?.seq ?? '0';
    let lastWrite = Date.now();
    const poll = webhooksEnv.get().EVENTS_STREAM_POLL_MS;
    try {
      while (!closed && !this.stopping) {
        const batch = await this.events.find({ where: { objectId: id, tenantId: who.tenantId, seq: MoreThan(cursor) }, order: { seq: 'ASC' } });
        for (const event of batch) {
          res.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${eventBody(event)}\n\n`);
          cursor = event.seq;
          lastWrite = Date.now();
        }
        if (await this.finished(id, cursor)) break;
        if (Date.now() - lastWrite > HEARTBEAT_MS) {
          res.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        await new Promise((r) => setTimeout(r, poll));
      }
    } catch (e) {
      // Headers are gone, so no problem+json; the client reconnects with Last-Event-ID.
      this.logger.warn(`event stream for ${id} broke off: ${(e as Error).message}`);
    } finally {
      res.end();
    }
  }

  onModuleDestroy(): void {
    this.stopping = true;
  }

  /** The terminal event is a video's last; once the client has it (or resumed past it) we are done. */
  private finished(objectId: string, cursor: string): Promise<boolean> {
    return this.events.existsBy({ objectId, type: In([...TERMINAL_EVENTS]), seq: LessThanOrEqual(cursor) });
  }
}
