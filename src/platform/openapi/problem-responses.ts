import type { OpenAPIObject } from '@nestjs/swagger';

type Components = NonNullable<OpenAPIObject['components']>;

export function problemComponents(existing: Components | undefined, errorCodes: string[]): Components {
  return {
    schemas: {
      ...(existing?.schemas ?? {}),
      Problem: {
        type: 'object',
        description: 'RFC 9457 problem details with a stable machine-readable code.',
        required: ['type', 'title', 'status', 'detail', 'code'],
        properties: {
          type: { type: 'string', format: 'uri' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          code: { type: 'string', enum: errorCodes, example: 'validation_failed' },
          request_id: { type: 'string', example: 'req_01jd3v8m7k2q9x4r5s6t7u8v9w' },
          errors: {
            type: 'array',
            items: { type: 'object', properties: { param: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } },
          },
        },
      },
    },
  };
}

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/** Every operation documents its problem responses and the headers every POST accepts. */
export function withProblemResponses(doc: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(doc.paths)) {
    for (const [method, op] of Object.entries(item) as [string, Record<string, any>][]) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      op.responses.default = { description: 'Error (problem+json)', content: PROBLEM };
      if (op.requestBody) {
        const types = Object.keys(op.requestBody.content ?? {}).join(' or ');
        op.responses['415'] = { description: `unsupported_media_type: the body is not ${types}.`, content: PROBLEM };
      }
      if (method === 'post') {
        op.parameters = [
          ...(op.parameters ?? []),
          { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'Retry safely: the same key and body within 24 h replays the first response.' },
        ];
      }
    }
  }
  return doc;
}
