import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of events.controller.ts, kept here so the controller reads as a list of routes. */
export const eventsDocs = {
  listEvents: {
    summary: 'List events, newest first',
    operationId: 'listEvents',
    description: 'The event log (what webhooks deliver), cursor-paginated, newest first; filter by `type`. Events are kept 30 days.',
  },
  getEvent: { summary: 'Retrieve an event', operationId: 'getEvent', description: 'One event with its payload as delivered.' },
  redeliverEvent: {
    summary: 'Send an event again, with the same webhook-id, to every endpoint that wants it',
    operationId: 'redeliverEvent',
    description:
      'Queues the event again for every enabled endpoint subscribed to its type (and the per-request `webhook_url`), with the same `webhook-id` so receivers deduplicate it. 409 `no_webhook_targets` when nothing would receive it.',
  },
} satisfies Record<string, ApiOperationOptions>;
