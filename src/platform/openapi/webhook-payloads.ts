import { EVENT_TYPES } from '../outbox/event.entity.js';

/**
 * The events we POST to webhook endpoints (and send as SSE `data:`), for `x-webhooks`: the spec
 * is OpenAPI 3.0, where 3.1's `webhooks` is not allowed. Built from EVENT_TYPES, so a new event
 * type is documented the moment it exists.
 */
export const EVENT_SCHEMA = {
  type: 'object',
  description: 'A Standard Webhooks payload: thin on purpose, so fetch `data.url` for the current state and a fresh download URL.',
  required: ['type', 'timestamp', 'data'],
  properties: {
    type: { type: 'string', enum: [...EVENT_TYPES], example: 'video.succeeded' },
    timestamp: { type: 'string', format: 'date-time', example: '2026-11-22T12:00:03.120Z' },
    data: {
      type: 'object',
      required: ['id', 'object', 'status', 'url'],
      properties: {
        id: { type: 'string', example: 'vid_01jd3v8m7k2q9x4r5s6t7v8w9x' },
        object: { type: 'string', example: 'video' },
        status: { type: 'string', example: 'succeeded' },
        url: { type: 'string', description: 'The resource in this API: absolute when the service knows its public URL.', example: 'https://api.leoma.ai/v1/videos/vid_01jd3v8m7k2q9x4r5s6t7v8w9x' },
        error: { type: 'object', description: 'On a failed object: why.', properties: { code: { type: 'string', example: 'generation_failed' } } },
      },
    },
  },
};

const SIGNATURE_HEADERS = [
  { name: 'webhook-id', in: 'header', required: true, description: 'The event id; the same on every retry and redelivery, so deduplicate on it.', schema: { type: 'string', example: 'evt_01jd3v8m7k2q9x4r5s6t7v8w9x' } },
  { name: 'webhook-timestamp', in: 'header', required: true, description: 'Unix seconds when this attempt was signed; refuse one more than 5 minutes off.', schema: { type: 'string', example: '1795348805' } },
  { name: 'webhook-signature', in: 'header', required: true, description: '`v1,<base64 HMAC-SHA256 of id.timestamp.body>` with the endpoint secret (after `whsec_`, base64-decoded); two, space-separated, during a rotation.', schema: { type: 'string', example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' } },
];

export function webhookOperations(): Record<string, unknown> {
  return Object.fromEntries(
    EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          summary: `${type}`,
          description: `Sent to endpoints subscribed to \`${type}\` (and to a video's \`webhook_url\`). Any 2xx within 10 s acknowledges it; anything else is retried with backoff for about a day.`,
          operationId: `webhook_${type.replace('.', '_')}`,
          tags: ['webhooks'],
          security: [],
          parameters: SIGNATURE_HEADERS,
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Event' }, example: { type, timestamp: '2026-11-22T12:00:03.120Z', data: { id: 'vid_01jd3v8m7k2q9x4r5s6t7v8w9x', object: 'video', status: type.split('.')[1], url: 'https://api.leoma.ai/v1/videos/vid_01jd3v8m7k2q9x4r5s6t7v8w9x' } } } } },
          responses: {
            '200': { description: 'Acknowledged (any 2xx).' },
            '410': { description: 'Gone: the endpoint is disabled at once.' },
          },
        },
      },
    ]),
  );
}
