import { LATEST_API_VERSION } from '../http/api-versions.js';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ID_PREFIXES, type IdKind } from '../http/ids.js';

type Parameter = { name: string; in: string; example?: unknown; examples?: unknown; schema?: Record<string, any> };

/**
 * Examples for the parameters many operations share (path ids, cursors, `limit`, the
 * `Idempotency-Key` header, `*_id` filters, date ranges, enums). Each comes from the parameter's
 * name, schema and path, so an operation added tomorrow gets the same example as its siblings
 * instead of one more repeated decorator. An example written in a decorator always wins; the
 * rest (a plan code, an actor id) are hand-written where the parameter is declared.
 */

/** The id body every example id shares (as the hand-written ones in the DTOs do), so examples that refer to each other agree. */
export const EXAMPLE_ULID = '01jd3v8m7k2q9x4r5s6t7v8w9x';

export function exampleId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${EXAMPLE_ULID}`;
}

/** A real (64×36 blue) PNG as a data URI, so Swagger UI's "Try it out" succeeds with the examples as they are. */
export const EXAMPLE_IMAGE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAEAAAAAkCAIAAAC2bqvFAAAACXBIWXMAAAABAAAAAQBPJcTWAAAAU0lEQVR4nO3PUQkAIBTAwFfJTpa1lSH8OITBAtxm7fN1wwUNaEEDWtCAFjSgBQ1oQQNa0IAWNKAFDWhBA1rQgBY0oAUNaEEDWtCAFjSgBQ1owWMXCBVOtUeMa7QAAAAASUVORK5CYII=';

/** The id kind of a collection, by the path segment naming it (`/v1/videos/{id}` → video). */
export const COLLECTION_KINDS: Record<string, IdKind> = {
  videos: 'video',
  files: 'file',
  batches: 'batch',
  tenants: 'tenant',
  'api-keys': 'apiKey',
  keys: 'apiKey',
  'webhook-endpoints': 'webhookEndpoint',
  destinations: 'destination',
  events: 'event',
  deliveries: 'webhookDelivery',
  burns: 'burn',
  allocations: 'allocation',
  fundings: 'funding',
  'audit-log': 'audit',
  operators: 'operator',
  'model-capabilities': 'modelCapability',
  'moderation-events': 'moderationEvent',
  revenue: 'revenueEntry',
  backends: 'backend',
  alerts: 'spendAlert',
  sessions: 'session',
  members: 'user',
  invitations: 'invitation',
  'claim-links': 'claimLink',
};

/** Path parameters that are not our ids, by the segment before them: a Stripe invoice id, a month. */
const PATH_EXAMPLES: Record<string, string> = {
  invoices: 'in_1QJ8m2Lk4yC0x9Zr7Tq3Wv5N',
  periods: '2026-11',
  domains: 'example.com',
  'claim-links': 'q3VfX2x0b2tlbi1mcm9tLXRoZS1jbGFpbS1saW5r',
  shared: 'dGVuXzAxLmwudmlkXzAxLjE3OTk5OTk5OTk.3q2-7w0KfS1nV8hX2b9yQm4Zp6cR1tUaE5oJxLwDk',
};

/** `<kind>_id` filters: `tenant_id=ten_…`, `batch_id=bat_…`. */
const FILTER_KINDS: Record<string, IdKind> = {
  tenant_id: 'tenant',
  batch_id: 'batch',
  video_id: 'video',
  file_id: 'file',
  api_key_id: 'apiKey',
  operator_id: 'operator',
};

/** Date ranges: a calendar month, the one the other examples (periods, usage) talk about. */
const RANGE_START = '2026-11-01T00:00:00Z';
const RANGE_END = '2026-12-01T00:00:00Z';

const BY_NAME: Record<string, unknown> = {
  // A fresh UUID per operation is what clients send; Try it out in /docs leaves it out (see forTryItOut).
  'Idempotency-Key': '8e0b7c52-3f4d-4a9e-b1c6-5d2f9a7e4b13',
  'Last-Event-ID': exampleId('event'),
  'Leoma-Version': LATEST_API_VERSION,
  // A model snapshot digest (rollouts): the subnet's genesis base.
  digest: 'sha256:79e4cc89edd935e8ea843ae2bd80fb85d3444128bb946990109a33ffafb2184e',
};

/** Fills in the example of every parameter that has none, from the rules above. */
export function withParameterExamples(doc: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const op of Object.values(item) as { parameters?: Parameter[] }[]) {
      for (const param of op?.parameters ?? []) {
        if (param.example !== undefined || param.examples !== undefined || param.schema?.example !== undefined) continue;
        const example = parameterExample(path, param);
        if (example !== undefined) param.example = example;
      }
    }
  }
  return doc;
}

function parameterExample(path: string, param: Parameter): unknown {
  const segments = path.split('/');
  const schema = param.schema ?? {};
  if (param.in === 'path') {
    const collection = segments[segments.indexOf(`{${param.name}}`) - 1] ?? '';
    // Plans are named by their code, not an id.
    if (collection === 'plans') return 'enterprise';
    // A `{token}` is a link's secret, never the id of the collection it opens.
    const kind = param.name === 'token' ? undefined : COLLECTION_KINDS[collection];
    return kind ? exampleId(kind) : (PATH_EXAMPLES[collection] ?? BY_NAME[param.name]);
  }
  if (param.name in BY_NAME) return BY_NAME[param.name];
  // A page of 20, or the most a smaller cap allows.
  if (param.name === 'limit') return Math.min(20, schema.maximum ?? 20);
  // List cursors are ids of the listed objects: the collection is the path's last segment.
  if (['starting_after', 'ending_before'].includes(param.name)) {
    const kind = COLLECTION_KINDS[segments.at(-1) ?? ''];
    return kind ? exampleId(kind) : undefined;
  }
  const filter = FILTER_KINDS[param.name];
  if (filter) return exampleId(filter);
  if (Array.isArray(schema.enum)) return schema.enum.includes(schema.default) ? schema.default : schema.enum[0];
  if (schema.format === 'date-time') return /(^|_)(to|until|before)$/.test(param.name) ? RANGE_END : RANGE_START;
  return undefined;
}

/**
 * The copy of the document behind /docs. Swagger UI's "Try it out" fills every parameter's
 * example in and sends it, so optional query and header examples would narrow lists to nothing
 * (`status`, `batch_id`, cursors), resume after an event that does not exist (`Last-Event-ID`)
 * or replay one `Idempotency-Key` for different bodies. There they stay in the description;
 * openapi.json, which clients generate from, keeps them as examples.
 */
export function forTryItOut<T extends OpenAPIObject>(doc: T): T {
  const copy = structuredClone(doc);
  for (const item of Object.values(copy.paths)) {
    for (const op of Object.values(item) as { parameters?: (Parameter & { required?: boolean; description?: string })[] }[]) {
      for (const param of op?.parameters ?? []) {
        // A query DTO's example lands in the schema, a derived one on the parameter; Swagger UI fills in either.
        const value = param.example ?? param.schema?.example;
        if (param.required || param.in === 'path' || value === undefined) continue;
        const example = typeof value === 'string' ? value : JSON.stringify(value);
        param.description = `${param.description ? `${param.description} ` : ''}Example: \`${example}\`.`;
        delete param.example;
        delete param.schema?.example;
      }
    }
  }
  // A multipart form (withMultipartForms) sends every field it shows, filled from its example or a
  // placeholder ("string"): an optional storyboard, extra outputs, an interpolated frame rate or a
  // destination that does not exist would be asked for in every try. The form keeps the required
  // fields and the file it is for; the reference at /docs lists the others.
  for (const [name, schema] of Object.entries((copy.components?.schemas ?? {}) as Record<string, FormSchema>)) {
    if (!name.endsWith('Form')) continue;
    for (const field of Object.keys(schema.properties ?? {})) if (!schema.required?.includes(field) && !FORM_FILES.has(field)) delete schema.properties![field];
    schema.description = `${schema.description ? `${schema.description} ` : ''}Try it out sends the required fields and the file only; the reference at /docs lists every field.`;
  }
  return copy;
}

/** The file parts of the forms (an image, a batch file): optional only because an id or URL may stand for them. */
const FORM_FILES = new Set(['image', 'file']);

type FormSchema = { required?: string[]; properties?: Record<string, unknown>; description?: string };
