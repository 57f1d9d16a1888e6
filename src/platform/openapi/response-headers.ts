type HeaderObject = Record<string, unknown>;

const HEADERS = {
  'Request-Id': {
    description: 'Identifies this request in our logs; quote it to support. Also in a problem body as `request_id`.',
    schema: { type: 'string', example: 'req_01jd3v8m7k2q9x4r5s6t7v8w9x' },
  },
  RateLimit: {
    description: 'IETF RateLimit header: per bucket (`tenant`, `key`), `r` requests left and `t` seconds until the bucket is full again.',
    schema: { type: 'string', example: '"tenant";r=119;t=1, "key";r=59;t=1' },
  },
  'RateLimit-Policy': {
    description: 'IETF RateLimit-Policy header: per bucket, `q` requests per `w` seconds.',
    schema: { type: 'string', example: '"tenant";q=120;w=60, "key";q=60;w=60' },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'integer', minimum: 0, example: 2 },
  },
  'Idempotent-Replayed': {
    description: 'Present (`true`) when this is the stored response to an earlier request with the same `Idempotency-Key`.',
    schema: { type: 'string', enum: ['true'], example: 'true' },
  },
  'Leoma-Version': {
    description: "The dated API version this answer is in: the request's `Leoma-Version`, else the version the API key is pinned to.",
    schema: { type: 'string', example: '2026-12-01' },
  },
  'WWW-Authenticate': {
    description: 'The authentication scheme to use.',
    schema: { type: 'string', example: 'Bearer realm="leoma"' },
  },
} as const;

export type ResponseHeaderName = keyof typeof HEADERS;

/** Response headers the conventions send, declared once and referenced from each response. */
export const RESPONSE_HEADERS = HEADERS as unknown as Record<ResponseHeaderName, HeaderObject>;

export const headerRefs = (...names: ResponseHeaderName[]) => Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
