import { Controller, Get, Headers, Logger, Param, Res, type OnModuleDestroy } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Response } from 'express';
import { MoreThan, type Repository } from 'typeorm';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { ProblemException } from '../platform/http/problem.js';
import { notFound } from '../platform/http/domain-error.js';
import { Video } from './video.entity.js';
import { EventRecord } from '../platform/outbox/event.entity.js';
import { eventBody } from '../platform/outbox/event-body.js';
import { videosEnv } from './videos.env.js';
import { EventFeed } from './event-feed.service.js';
import { StreamSlots } from './stream-slots.js';
import { beginEventStream, EventStreams, type EventStream } from '../platform/http/event-stream.js';
import { Draining } from '../platform/lifecycle/draining.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { videoEventStreamDocs } from './video-event-stream.docs.js';

const TERMINAL_EVENTS = new Set(['video.succeeded', 'video.failed', 'video.canceled', 'video.expired']);

/**
 * Server-Sent Events for one video, read from the events table: every status change arrives in
 * order whichever process made it, `id:` is the event id, and `Last-Event-ID` resumes after it.
 * Past events come from one query at the start; later ones from the process's shared EventFeed.
 * A stream lives at most EVENTS_STREAM_MAX_MS, then ends with a `retry:` hint and the client
 * resumes (EventSource sends Last-Event-ID by itself); open streams are capped per tenant and
 * per process.
 */
@ApiTags('videos')
@ApiBearerAuth()
@KeyModes('live', 'test')
@Controller('v1/videos')
export class VideoEventStreamController implements OnModuleDestroy {
  private readonly logger = new Logger(VideoEventStreamController.name);
  /** Ended on shutdown and drain, so clients resume elsewhere instead of holding the server open. */
  private readonly streams = new EventStreams();

  constructor(
    @InjectRepository(Video) private readonly videos: Repository<Video>,
    @InjectRepository(EventRecord) private readonly events: Repository<EventRecord>,
    private readonly feed: EventFeed,
    private readonly slots: StreamSlots,
    private readonly draining: Draining,
  ) {
    // A replica going away ends its streams first, with the retry hint: clients resume on another replica.
    this.draining.onDrain(() => this.onModuleDestroy());
  }

  @Get(':id/events')
  @Scopes('videos:read')
  @ProblemCodes('too_many_streams', 'stream_capacity_reached')
  @ApiOperation(videoEventStreamDocs.streamVideoEvents)
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id.' })
  @ApiOkResponse({
    description:
      'Each message: `id` = event id, `event` = event type, `data` = the webhook payload (schema `Event`). Comments (`: keep-alive`) keep the connection open.',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example:
          'id: evt_01jd3v8m7k2q9x4r5s6t7v8w9x\nevent: video.succeeded\ndata: {"type":"video.succeeded","timestamp":"2026-11-22T12:00:03.120Z","data":{"id":"vid_01jd3v8m7k2q9x4r5s6t7v8w9x","object":"video","status":"succeeded","url":"/v1/videos/vid_01jd3v8m7k2q9x4r5s6t7v8w9x"}}\n\n',
      },
    },
  })
  async stream(
    @CurrentTenant() who: TenantPrincipal,
    @Param('id') id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    if (!(await this.videos.existsBy({ id, tenantId: who.tenantId, livemode: who.livemode }))) throw notFound('video', id);
    const resumeAfter = lastEventId === undefined ? null : await this.events.findOneBy({ id: lastEventId, objectId: id, tenantId: who.tenantId });
    if (lastEventId !== undefined && !resumeAfter) {
      throw new ProblemException(400, 'validation_failed', `Last-Event-ID '${lastEventId.slice(0, 40)}' is not an event of this video.`, {
        errors: [{ param: 'Last-Event-ID', code: 'invalid_event_id', message: 'not an event of this video' }],
      });
    }
    if (this.draining.active)
      throw new ProblemException(503, 'service_unavailable', 'This server is shutting down; retry.', { headers: { 'Retry-After': '1' } });
    const release = await this.slots.acquire(who.tenantId);
    try {
      const past = await this.events.find({ where: { objectId: id, tenantId: who.tenantId, seq: MoreThan(resumeAfter?.seq ?? '0') }, order: { seq: 'ASC' } });
      beginEventStream(res);
      await this.follow(who.tenantId, id, BigInt(resumeAfter?.seq ?? 0), past, resumeAfter !== null && TERMINAL_EVENTS.has(resumeAfter.type), res);
    } finally {
      await release();
    }
  }

  onModuleDestroy(): void {
    this.streams.endAll();
  }

  /** Writes `past`, then what the feed brings, until the terminal event, the client leaves, or the lifetime is over. */
  private follow(tenantId: string, objectId: string, after: bigint, past: EventRecord[], finished: boolean, res: Response): Promise<void> {
    const env = videosEnv.get();
    const send = (stream: EventStream, events: EventRecord[]) => {
      for (const event of events) {
        stream.send(event.id, event.type, eventBody(event));
        // The terminal event is a video's last.
        if (TERMINAL_EVENTS.has(event.type)) return stream.end();
      }
    };
    return this.streams.follow(res, {
      maxMs: env.EVENTS_STREAM_MAX_MS,
      retryMs: env.EVENTS_STREAM_RETRY_MS,
      resumeNote: 'reconnect with Last-Event-ID to go on',
      onError: (e) => this.logger.warn(`event stream for ${objectId} broke off: ${e.message}`),
      start: (stream) => (finished ? stream.end() : send(stream, past)),
      subscribe: (stream) =>
        this.feed.subscribe({ tenantId, objectId, after: past.length ? BigInt(past.at(-1)!.seq) : after, deliver: (events) => send(stream, events) }),
    });
  }
}
