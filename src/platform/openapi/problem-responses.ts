import { createHash } from 'node:crypto';
import type { OpenAPIObject } from '@nestjs/swagger';
import { VERSION_NAMES } from '../http/api-versions.js';
import { headerRefs, RESPONSE_HEADERS, type ResponseHeaderName } from './response-headers.js';

type Components = NonNullable<OpenAPIObject['components']>;
type Operation = Record<string, any>;

/** A catalogued problem code and the statuses it comes with (from the error catalogues). */
export interface ProblemCodeSpec {
  code: string;
  statuses: readonly number[];
}

export function problemComponents(existing: Components | undefined, codes: ProblemCodeSpec[]): Components {
  return {
    ...existing,
    headers: { ...(existing?.headers ?? {}), ...RESPONSE_HEADERS },
    schemas: {
      ...(existing?.schemas ?? {}),
      Problem: {
        type: 'object',
        description: 'RFC 9457 problem details with a stable machine-readable code.',
        required: ['type', 'title', 'status', 'detail', 'code'],
        properties: {
          type: {
            type: 'string',
            format: 'uri',
            example: 'https://api.leoma.ai/errors/validation_failed',
            description: 'A page explaining the problem and what to do about it (`/errors/{code}`).',
          },
          title: {
            type: 'string',
            example: 'Validation failed',
            description: 'Short summary of the kind of problem; the same for every occurrence of a `code`.',
          },
          status: { type: 'integer', example: 400, description: 'The HTTP status code, repeated.' },
          detail: {
            type: 'string',
            example: 'duration_seconds must not be greater than 10',
            description: 'What went wrong this time, for humans; its wording may change, so branch on `code`.',
          },
          code: {
            type: 'string',
            enum: codes.map((c) => c.code),
            example: 'validation_failed',
            description: 'Stable machine-readable code: branch on this. New codes may be added; treat an unknown one by its `status`.',
          },
          request_id: {
            type: 'string',
            example: 'req_01jd3v8m7k2q9x4r5s6t7v8w9x',
            description: 'The `Request-Id` response header: quote it to support.',
          },
          errors: {
            type: 'array',
            description: 'With `validation_failed`: one entry per refused parameter.',
            items: {
              type: 'object',
              properties: {
                param: { type: 'string', example: 'duration_seconds', description: 'Path of the refused parameter, e.g. `metadata.sku`.' },
                code: { type: 'string', example: 'max', description: 'Which rule it broke, e.g. `max`, `required`, `invalid_characters`.' },
                message: { type: 'string', example: 'must not be greater than 10', description: 'The rule in words.' },
              },
            },
          },
        },
      },
    },
  };
}

const problemContent = (codes: string[]) => ({
  'application/problem+json': {
    schema: {
      allOf: [{ $ref: '#/components/schemas/Problem' }, { type: 'object', properties: { code: { type: 'string', enum: codes } } }],
    },
  },
});

/**
 * The codes any route of this kind can answer with, besides what it declares with
 * @ProblemCodes: from whether it needs a key (and which kind), has path or query parameters,
 * takes a body, and is a POST (idempotency keys).
 */
function inferredCodes(path: string, method: string, op: Operation): string[] {
  // Any request can be unreadable HTTP (answered before routing) or fail on our side.
  const codes = ['malformed_request', 'headers_too_large', 'internal_error', 'service_unavailable'];
  const isPublic = Array.isArray(op.security) && op.security.length === 0;
  if (!isPublic) {
    codes.push('authentication_required', 'invalid_api_key', 'api_key_expired', 'api_version_unknown');
    // Operator keys are not rate limited.
    if (op['x-operator-only']) codes.push('operator_key_required', 'insufficient_role');
    else codes.push('tenant_key_required', 'tenant_suspended', 'insufficient_scope', 'rate_limited');
    if (!op['x-operator-only'] && !op['x-key-modes']?.includes('test')) codes.push('livemode_required');
  }
  const params: Operation[] = op.parameters ?? [];
  if (path.includes('{')) codes.push('resource_not_found');
  if (params.some((p) => p.in === 'query' || p.in === 'path') || op.requestBody) codes.push('validation_failed');
  if (op.requestBody) {
    codes.push('payload_too_large', 'unsupported_media_type');
    if (op.requestBody.content?.['application/json']) codes.push('malformed_json', 'json_too_deep');
    if (op['x-large-body'] && !isPublic && !op['x-operator-only']) codes.push('too_many_large_requests');
  }
  if (method === 'post') codes.push('idempotency_key_invalid', 'idempotency_request_in_progress', 'idempotency_key_reused');
  return codes;
}

function headersFor(status: number, op: Operation, method: string): Record<string, unknown> {
  const names: ResponseHeaderName[] = ['Request-Id'];
  const isPublic = Array.isArray(op.security) && op.security.length === 0;
  if (!isPublic && status < 300) names.push('Leoma-Version');
  const limited = !isPublic && !op['x-operator-only'];
  if (limited && (status < 300 || status === 429)) names.push('RateLimit', 'RateLimit-Policy');
  if (status === 429 || status === 503) names.push('Retry-After');
  if (status === 401) names.push('WWW-Authenticate');
  if (method === 'post' && status < 300) names.push('Idempotent-Replayed');
  return headerRefs(...names);
}

/**
 * Every operation gets one problem+json response per status it can answer with, its `code` an
 * enum of exactly the codes that status carries there; success responses get the headers the
 * conventions send. Throws on a @ProblemCodes code no catalogue declares, so a typo fails the
 * spec test instead of reaching clients.
 */
export function withProblemResponses(doc: OpenAPIObject, catalogue: ProblemCodeSpec[]): OpenAPIObject {
  const statuses = new Map(catalogue.map((c) => [c.code, c.statuses]));
  const shared = sharedResponses();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item) as [string, Operation][]) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      const declared: string[] = op['x-problem-codes'] ?? [];
      const unknown = declared.filter((c) => !statuses.has(c));
      if (unknown.length) throw new Error(`${method.toUpperCase()} ${path} declares problem codes no error catalogue has: ${unknown.join(', ')}`);
      const codes = [...new Set([...inferredCodes(path, method, op), ...declared])];
      op['x-problem-codes'] = codes;

      const byStatus = new Map<number, string[]>();
      for (const code of codes) for (const status of statuses.get(code) ?? []) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
      for (const [status, response] of Object.entries(op.responses as Record<string, Operation>)) {
        if (Number(status) < 400) response.headers = { ...headersFor(Number(status), op, method), ...(response.headers ?? {}) };
      }
      for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
        op.responses[String(status)] = shared.ref(status, {
          description: list.map((c) => `\`${c}\``).join(', '),
          headers: headersFor(status, op, method),
          content: problemContent(list),
        });
      }
      op.responses.default = {
        description: 'Any other problem (problem+json).',
        headers: headerRefs('Request-Id'),
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
      if (!(Array.isArray(op.security) && op.security.length === 0)) {
        op.parameters = [
          ...(op.parameters ?? []),
          {
            name: 'Leoma-Version',
            in: 'header',
            required: false,
            schema: { type: 'string', enum: VERSION_NAMES },
            description:
              'The dated API version to answer in; without it, the one the API key was pinned to at creation. The versions and what each changed: the changelog.',
          },
        ];
      }
      if (method === 'post') {
        op.parameters = [
          ...(op.parameters ?? []),
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', maxLength: 255 },
            description:
              'Retry safely: the same key and body within 24 h replays the first response (with `Idempotent-Replayed: true`). A fresh one per operation, e.g. a UUID.',
          },
        ];
      }
    }
  }
  doc.components = { ...doc.components, responses: { ...(doc.components?.responses ?? {}), ...shared.all } };
  return doc;
}

/** Identical problem responses (most operations share theirs) are stored once under components.responses. */
function sharedResponses() {
  const all: Record<string, { description: string }> = {};
  return {
    all,
    ref(status: number, response: { description: string } & Operation): { $ref: string } {
      const hash = createHash('sha256').update(JSON.stringify(response)).digest('hex').slice(0, 8);
      const name = `Problem${status}_${hash}`;
      all[name] = response;
      return { $ref: `#/components/responses/${name}` };
    },
  };
}
