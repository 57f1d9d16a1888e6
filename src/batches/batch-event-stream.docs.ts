import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of batch-event-stream.controller.ts, kept here so the controller reads as a list of routes. */
export const batchEventStreamDocs = {
  streamBatchEvents: {
    summary: "Follow a batch's counts as Server-Sent Events; the stream ends when the batch has settled",
    operationId: 'streamBatchEvents',
    description:
      'Server-Sent Events (`text/event-stream`) of `batch.progress` messages (`{id, status, request_counts}`): the counts now, then whenever they change; the stream ends when the batch has settled. A stream lasts at most a few minutes, then ends with a `retry:` hint; a reconnect starts again from the current counts. Too many open streams → 429 `too_many_streams` (per account) or 503 `stream_capacity_reached`, with `Retry-After`.',
  },
} satisfies Record<string, ApiOperationOptions>;
