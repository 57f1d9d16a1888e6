import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of video-event-stream.controller.ts, kept here so the controller reads as a list of routes. */
export const videoEventStreamDocs = {
  streamVideoEvents: {
    summary: "Follow a video's status changes as Server-Sent Events; the stream ends at a terminal status",
    operationId: 'streamVideoEvents',
    description:
      'A stream lasts at most a few minutes, then ends with a `retry:` hint: reconnect with `Last-Event-ID` to go on. Too many open streams → 429 `too_many_streams` (per account) or 503 `stream_capacity_reached`, with `Retry-After`.',
  },
} satisfies Record<string, ApiOperationOptions>;
