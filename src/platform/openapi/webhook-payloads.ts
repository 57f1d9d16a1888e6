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
    type: {
      type: 'string',
      enum: [...EVENT_TYPES],
      example: 'video.succeeded',
      description: 'What happened, `<object>.<change>`; new types may be added, so ignore ones you do not know.',
    },
    timestamp: {
      type: 'string',
      format: 'date-time',
      example: '2026-11-22T12:00:03.120Z',
      description: 'When it happened (ISO 8601, UTC); deliveries can arrive out of order, so compare this.',
    },
    data: {
      type: 'object',
      description: 'The object it is about, thin: its id, type and status.',
      required: ['id', 'object', 'status', 'url'],
      properties: {
        id: { type: 'string', example: 'vid_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'Id of the object.' },
        object: { type: 'string', example: 'video', description: 'Type of the object, e.g. `video` or `batch`.' },
        status: { type: 'string', example: 'succeeded', description: 'Its status when the event happened.' },
        url: {
          type: 'string',
          description: 'The resource in this API: absolute when the service knows its public URL.',
          example: 'https://api.leoma.ai/v1/videos/vid_01jd3v8m7k2q9x4r5s6t7v8w9x',
        },
        error: {
          type: 'object',
          description: 'On a failed object: why.',
          properties: { code: { type: 'string', example: 'generation_failed', description: 'The `error.code` of the failed object.' } },
        },
        queue_position: {
          type: 'integer',
          description: 'video.queued of a video over the concurrency limit: its place among the videos waiting for a slot (1 = next).',
          example: 3,
        },
        estimated_start_at: {
          type: 'string',
          format: 'date-time',
          nullable: true,
          description: 'video.queued of a waiting video: when it is expected to start (see `estimated_start_at` on the video).',
        },
        start_by: {
          type: 'string',
          format: 'date-time',
          description: 'video.queued of a waiting video: it ends `expired`, uncharged, if not started by then.',
        },
        request_counts: {
          type: 'object',
          description: "batch.completed, batch.failed, batch.expired: the batch's item counts when it ended.",
          additionalProperties: { type: 'integer' },
        },
        segment: {
          type: 'object',
          description: 'video.segment_succeeded: the segment of a chained video just delivered (0-based `index`) of `count`.',
          properties: {
            index: { type: 'integer', example: 0, description: '0-based position of the delivered segment.' },
            count: { type: 'integer', example: 3, description: 'Segments in the video.' },
          },
        },
        previous: {
          type: 'object',
          nullable: true,
          description: 'model.changed: the model that made "winner" videos until now (null for the first).',
          properties: { repo: { type: 'string', description: 'Model repository.' }, digest: { type: 'string', description: 'Snapshot digest.' } },
        },
        current: {
          type: 'object',
          description: 'model.changed: the model that makes them from now on.',
          properties: { repo: { type: 'string', description: 'Model repository.' }, digest: { type: 'string', description: 'Snapshot digest.' } },
        },
        delivery: {
          type: 'object',
          description: "video.delivered / video.delivery_failed: the copy of the video's files to its destination.",
          properties: {
            destination: { type: 'string', example: 'dst_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'The destination the files are copied to.' },
            status: { type: 'string', enum: ['pending', 'delivered', 'failed'], description: 'How far the copy got (see `delivery` on the video).' },
            key: { type: 'string', example: 'catalogue/SKU-123.mp4', description: "The main file's key in the bucket." },
            attempts: { type: 'integer', example: 1, description: 'Copy attempts made.' },
            last_error: { type: 'string', nullable: true, description: "The store's answer to the last failed attempt; null after a success." },
            delivered_at: { type: 'string', format: 'date-time', nullable: true, description: 'When the copy completed; null unless delivered.' },
          },
        },
        manifest_delivery: {
          type: 'object',
          description:
            "batch.manifest_delivered / batch.manifest_delivery_failed: the write of the ended batch's manifest to its destination (as `manifest_delivery` on the batch).",
          properties: {
            destination: { type: 'string', example: 'dst_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'The destination the manifest is written to.' },
            status: {
              type: 'string',
              enum: ['delivered', 'failed'],
              description: 'Written, or given up on after its attempts (or at once when the destination was deleted).',
            },
            key: {
              type: 'string',
              nullable: true,
              example: 'catalogue/bat_01jd6k3h5q8r2w9x4y7z0a1b2c.manifest.jsonl',
              description: "The manifest's key in the bucket.",
            },
            attempts: { type: 'integer', example: 1, description: 'Write attempts made.' },
            last_error: { type: 'string', nullable: true, description: "The store's answer to the last failed attempt; null after a success." },
            delivered_at: { type: 'string', format: 'date-time', nullable: true, description: 'When the manifest was written; null unless delivered.' },
          },
        },
      },
    },
  },
};

const SIGNATURE_HEADERS = [
  {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description: 'The event id; the same on every retry and redelivery, so deduplicate on it.',
    schema: { type: 'string', example: 'evt_01jd3v8m7k2q9x4r5s6t7v8w9x' },
  },
  {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    description: 'Unix seconds when this attempt was signed; refuse one more than 5 minutes off.',
    schema: { type: 'string', example: '1795348805' },
  },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description:
      '`v1,<base64 HMAC-SHA256 of id.timestamp.body>` with the endpoint secret (after `whsec_`, base64-decoded); two, space-separated, during a rotation.',
    schema: { type: 'string', example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' },
  },
];

const MODEL_CHANGED_EXAMPLE = {
  id: 'rol_01jd3v8m7k2q9x4r5s6t7v8w9x',
  object: 'model_rollout',
  status: 'serving',
  url: 'https://api.leoma.ai/v1/models',
  previous: { repo: 'leoma/wan2.2-i2v-a14b-diffusers', digest: 'sha256:79e4cc89edd935e8ea843ae2bd80fb85d3444128bb946990109a33ffafb2184e' },
  current: { repo: 'miner/wan2.2-i2v-ft', digest: 'sha256:5f1d0c7e9a3b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d' },
};

/** A delivery event's data: the video (succeeded) and where its copy stands. */
const DELIVERY_EXAMPLE = (delivered: boolean) => ({
  id: 'vid_01jd3v8m7k2q9x4r5s6t7v8w9x',
  object: 'video',
  status: 'succeeded',
  url: 'https://api.leoma.ai/v1/videos/vid_01jd3v8m7k2q9x4r5s6t7v8w9x',
  delivery: {
    destination: 'dst_01jd3v8m7k2q9x4r5s6t7v8w9x',
    status: delivered ? 'delivered' : 'failed',
    key: 'catalogue/SKU-123.mp4',
    attempts: delivered ? 1 : 10,
    last_error: delivered ? null : "destination_denied: The store refused the write to bucket 'acme-product-videos'",
    delivered_at: delivered ? '2026-11-22T12:00:05.310Z' : null,
  },
});

/** A manifest delivery event's data: the ended batch and where its manifest's write stands. */
const MANIFEST_DELIVERY_EXAMPLE = (delivered: boolean) => ({
  id: 'bat_01jd6k3h5q8r2w9x4y7z0a1b2c',
  object: 'batch',
  status: 'completed',
  url: 'https://api.leoma.ai/v1/batches/bat_01jd6k3h5q8r2w9x4y7z0a1b2c',
  manifest_delivery: {
    destination: 'dst_01jd3v8m7k2q9x4r5s6t7v8w9x',
    status: delivered ? 'delivered' : 'failed',
    key: 'catalogue/bat_01jd6k3h5q8r2w9x4y7z0a1b2c.manifest.jsonl',
    attempts: delivered ? 1 : 10,
    last_error: delivered ? null : "destination_denied: The store refused the write to bucket 'acme-product-videos'",
    delivered_at: delivered ? '2026-11-22T12:30:01.020Z' : null,
  },
});

const exampleData = (type: string) =>
  type === 'model.changed'
    ? MODEL_CHANGED_EXAMPLE
    : type.startsWith('video.deliver')
      ? DELIVERY_EXAMPLE(type === 'video.delivered')
      : type.startsWith('batch.manifest_')
        ? MANIFEST_DELIVERY_EXAMPLE(type === 'batch.manifest_delivered')
        : {
            id: 'vid_01jd3v8m7k2q9x4r5s6t7v8w9x',
            object: 'video',
            status: type.split('.')[1],
            url: 'https://api.leoma.ai/v1/videos/vid_01jd3v8m7k2q9x4r5s6t7v8w9x',
          };

const deliveredTo = (type: string) =>
  type === 'model.changed'
    ? 'Sent once to every endpoint subscribed to `model.changed` (or `*`), of every tenant, when the model that makes "winner" videos changes (a rollover or an operator\'s rollback).'
    : `Sent to endpoints subscribed to \`${type}\` (and to a video's \`webhook_url\`).`;

export function webhookOperations(): Record<string, unknown> {
  return Object.fromEntries(
    EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          summary: `${type}`,
          description: `${deliveredTo(type)} Any 2xx within 10 s acknowledges it; anything else is retried with backoff for about a day.`,
          operationId: `webhook_${type.replace('.', '_')}`,
          tags: ['webhooks'],
          security: [],
          parameters: SIGNATURE_HEADERS,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Event' },
                example: { type, timestamp: '2026-11-22T12:00:03.120Z', data: exampleData(type) },
              },
            },
          },
          responses: {
            '200': { description: 'Acknowledged (any 2xx).' },
            '410': { description: 'Gone: the endpoint is disabled at once.' },
          },
        },
      },
    ]),
  );
}
