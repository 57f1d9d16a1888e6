import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';

/**
 * Arbitrary Unicode into every string field of every operation in the published spec that takes a
 * body: whatever the string, the answer is never a 5xx, every refusal is problem+json, and a string
 * that breaks the text rule is refused as `invalid_characters` on exactly that param. The fields
 * come from openapi/openapi.json, so a new operation or field is fuzzed without touching this file.
 * Some runs wrap the string in arrays nested up to 100,000 deep: a body deeper than the parser's
 * limit (64) is refused as `json_too_deep`, one within it is never.
 *
 * Bounded: FUZZ_RUNS runs per operation (default 40) from a fixed seed (FUZZ_SEED, default below);
 * a failure names the seed and the shrunk counterexample, and FUZZ_SEED=<seed> replays it.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  format?: string;
};
type Operation = {
  operationId: string;
  requestBody: { content: Record<string, { schema: Schema }> };
  'x-required-scopes'?: string[];
  'x-operator-only'?: boolean;
  'x-session-only'?: boolean;
};

const spec = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
const resolve = (s: Schema): Schema => (s.$ref ? resolve(spec.components.schemas[s.$ref.split('/').pop()!]!) : s);

/** Where a fuzzed string goes: a value at `path`, or (for string maps) a key under `path`. */
interface Slot {
  path: string[];
  asKey: boolean;
  /** The `param` a refusal must name. */
  param: string;
}

function stringSlots(schema: Schema, path: string[] = []): Slot[] {
  const s = resolve(schema);
  const param = path.join('.');
  if (s.type === 'string' && s.format !== 'binary') return [{ path, asKey: false, param }];
  if (s.type === 'array' && s.items) return stringSlots(s.items, [...path, '0']);
  const slots = Object.entries(s.properties ?? {}).flatMap(([k, v]) => stringSlots(v, [...path, k]));
  if (typeof s.additionalProperties === 'object') {
    slots.push(...stringSlots(s.additionalProperties, [...path, 'k']), { path: [...path, 'k'], asKey: true, param });
  }
  return slots;
}

/** A valid body from the schema: required properties only, from examples, enums and defaults. */
/** A value of the property's type: a list of objects gets one valid-looking item, so a slot inside it has a place to go. */
function filler(p: Schema): unknown {
  if (p.type === 'object') return baseline(p);
  if (p.type === 'array') return p.items && resolve(p.items).type === 'object' ? [baseline(resolve(p.items))] : [];
  return p.type === 'number' || p.type === 'integer' ? 1 : 'x';
}

function baseline(schema: Schema): Record<string, unknown> {
  const s = resolve(schema);
  return Object.fromEntries(
    (s.required ?? []).map((k) => {
      const p = resolve(s.properties![k]!);
      return [k, p.example ?? p.enum?.[0] ?? p.default ?? filler(p)];
    }),
  );
}

function place(body: Record<string, unknown>, slot: Slot, text: string): Record<string, unknown> {
  const copy = structuredClone(body);
  let at: Record<string, unknown> = copy;
  for (const [i, k] of slot.path.slice(0, -1).entries()) {
    const nextIsIndex = /^\d+$/.test(slot.path[i + 1]!);
    at = (at[k] ??= nextIsIndex ? [] : {}) as Record<string, unknown>;
  }
  const last = slot.path[slot.path.length - 1]!;
  if (slot.asKey) at[text] = 'v';
  else at[last] = text;
  return copy;
}

/** How deep the JSON read at the edge may nest (src/platform/http/json-depth.ts). */
const JSON_MAX_DEPTH = 64;
/** Arrays to wrap the fuzzed string in: mostly none, else around the limit or far past it. */
const nest = fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.constantFrom(1, 61, 62, 63, 64, 65, 2_000, 100_000), weight: 1 });
const NESTED = '\u0000nested\u0000';

/** The body with `text` inside `depth` arrays at the slot, written by hand: JSON.stringify recurses and cannot write 100,000 levels. */
function placeNested(body: Record<string, unknown>, slot: Slot, text: string, depth: number): string {
  const outer = JSON.stringify(place(body, { ...slot, asKey: false }, NESTED));
  return outer.replace(JSON.stringify(NESTED), () => '['.repeat(depth) + JSON.stringify(text) + ']'.repeat(depth));
}

/** The rule, written independently of src/platform/http/text-rule.ts: code unit by code unit. */
function breaksTextRule(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
    const high = c >= 0xd800 && c <= 0xdbff;
    const low = c >= 0xdc00 && c <= 0xdfff;
    if (high) {
      const n = text.charCodeAt(i + 1);
      if (!(n >= 0xdc00 && n <= 0xdfff)) return true;
      i++;
    } else if (low) return true;
  }
  return false;
}

const nasty = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\u0007',
  '\u001b[2J',
  '\u000b\u000c',
  '\uD800',
  '\uDFFF',
  'x\uDBFFy',
  '\uDC00\uD800',
  '\u200F\u202Eevil\u202C',
  '\u061C\u2066x\u2069',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈👟',
  '\uFEFF',
  '\r\n\t',
  '\u007F\u0085\u2028\u2029',
  '%00',
  '\\u0000',
  "'; DROP TABLE videos; --",
  '{{7*7}}',
  'https://8.8.8.8/\u0000',
  'file_\u0000',
  '',
);
/** Any UTF-16 code unit, so controls and unpaired surrogates turn up often. */
const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const text = fc.oneof(
  nasty,
  codeUnits,
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.array(fc.oneof(nasty, codeUnits), { maxLength: 4 }).map((parts) => parts.join('')),
  fc.tuple(fc.constantFrom('a', 'é', '👟', '\u200F', '\u0000'), fc.integer({ min: 1_000, max: 120_000 })).map(([c, n]) => c.repeat(n)),
);

let app: TestApp;
let tenantKey: string;
/** Path ids and values that must name real resources for a request to get past "not found". */
let ids: Record<string, string>;
let operators = 0;

beforeAll(async () => {
  app = await startTestApp();
  ({ key: tenantKey } = await app.tenant({ limits: { requests_per_minute: 1_000_000, concurrent_videos: 100_000, included_video_seconds: 1_000_000_000 } }));
  const json = async (path: string, key: string, body: unknown) =>
    (await (await app.request(path, { method: 'POST', key, json: body })).json()) as { id: string };
  const form = new FormData();
  form.set('file', new Blob([makeImage('png')], { type: 'image/png' }), 'start.png');
  const file = (await (await app.request('/v1/files', { method: 'POST', key: tenantKey, body: form })).json()) as { id: string };
  ids = {
    file: file.id,
    // Rolled, not the key the test calls with.
    apiKey: (await json('/v1/api-keys', tenantKey, { name: 'to roll' })).id,
    tenant: (await json('/v1/admin/tenants', app.operatorKey, { name: 'fuzzed' })).id,
    backend: (await json('/v1/admin/backends', app.operatorKey, { name: 'fuzzed', url: 'http://127.0.0.1:9', model: 'leoma/fuzz' })).id,
    webhook: (await json('/v1/webhook-endpoints', tenantKey, { url: 'https://8.8.8.8/hooks' })).id,
  };
  expect(Object.values(ids).every((id) => typeof id === 'string')).toBe(true);
});
afterAll(() => app?.close());

const PATH_IDS: Record<string, () => string> = {
  '/v1/api-keys/{id}/roll': () => ids.apiKey!,
  '/v1/admin/tenants/{id}': () => ids.tenant!,
  '/v1/admin/tenants/{id}/api-keys': () => ids.tenant!,
  '/v1/admin/backends/{id}': () => ids.backend!,
  '/v1/webhook-endpoints/{id}': () => ids.webhook!,
  '/v1/webhook-endpoints/{id}/rotate-secret': () => ids.webhook!,
};

/** Baseline values that examples cannot give: real ids, addresses that need no DNS, unique emails. */
const BASELINE_OVERRIDES: Record<string, () => Record<string, unknown>> = {
  createVideo: () => ({ image: ids.file, duration_seconds: 1 }),
  estimateVideoBatch: () => ({ videos: [{ prompt: 'p', duration_seconds: 1 }] }),
  createWebhookEndpoint: () => ({ url: 'https://8.8.8.8/hooks' }),
  adminCreateBackend: () => ({ url: 'http://127.0.0.1:9' }),
  adminCreateOperator: () => ({ email: `op${++operators}@leoma.ai` }),
  adminPutModelCapabilities: () => ({
    sizes: { '480p': { '16:9': { width: 832, height: 480 } } },
    fps: 16,
    frames: { min: 17, max: 81, step: 4, offset: 1 },
    max_prompt_chars: 2000,
    honours: { seed: true, negative_prompt: true, camera: true },
  }),
};

const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
  Object.entries(methods)
    // Session-only routes (x-session-only) refuse a key before reading the body; test/people covers them with sessions.
    .filter(([, op]) => op.requestBody && !op['x-session-only'])
    .map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
);

const FILE_PART: Record<string, string> = { createFile: 'file', createBatch: 'file' };

/** The smallest body cap (JSON_BODY_MAX_BYTES' default): a 413 is right only for a body above it. */
const SMALLEST_BODY_CAP = 64 * 1024;

async function expectSound(res: Response, sent: string, slot: Slot, bodyBytes: number, depth = 0): Promise<void> {
  expect(res.status, `${res.status} for ${JSON.stringify(sent.slice(0, 80))}${depth ? ` nested ${depth} deep` : ''}`).toBeLessThan(500);
  if (res.status === 413) {
    // Caps come before content: an oversized body is refused unread, whatever it holds.
    expect(bodyBytes).toBeGreaterThan(SMALLEST_BODY_CAP);
    expect(await res.json()).toMatchObject({ status: 413, code: expect.stringMatching(/^(payload_too_large|field_too_large)$/) });
    return;
  }
  if (depth) {
    // Every container on the slot's path holds the arrays; the baseline bodies nest far less than the limit.
    const tooDeep = slot.path.length + depth > JSON_MAX_DEPTH;
    const problem = res.status >= 400 ? ((await res.json()) as { code: string }) : undefined;
    if (tooDeep) expect(res.status, JSON.stringify(problem)).toBe(400);
    if (tooDeep) expect(problem?.code).toBe('json_too_deep');
    else expect(problem?.code).not.toBe('json_too_deep');
    return;
  }
  const refused = breaksTextRule(sent);
  if (refused) expect(res.status, `accepted ${JSON.stringify(sent.slice(0, 80))} in ${slot.param}`).toBe(400);
  if (res.status < 400) return;
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await res.json()) as { status: number; code: string; errors?: { param: string; code: string }[] };
  expect(problem).toMatchObject({ status: res.status, code: expect.any(String) });
  if (refused) {
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors).toContainEqual(expect.objectContaining({ param: slot.param, code: 'invalid_characters' }));
  }
}

describe('arbitrary Unicode in every string field of every operation with a body', () => {
  it('the spec has operations with bodies and string fields to fuzz', () => {
    expect(operations.length).toBeGreaterThanOrEqual(10);
    expect(operations.flatMap(({ op }) => Object.values(op.requestBody.content).flatMap((c) => stringSlots(c.schema))).length).toBeGreaterThan(20);
  });

  // Issue 31's post-production options: each is a slot of the random fuzz above, and each gets these strings for certain.
  const POST_PRODUCTION_FIELDS = [
    'aspect_ratio',
    'fit',
    'resolution',
    'audio',
    'audio_file',
    'transition',
    'segments.0.prompt',
    'outputs.0.aspect_ratio',
    'outputs.0.fit',
  ];
  const HOSTILE = ['\u0000', 'a\u202Eb', '\uD800', '\u200F', '👟', ' ', 'é'.repeat(3000), 'file_\u0000'];

  it('every post-production field of POST /v1/videos, and `purpose` of a presigned upload, is fuzzed: no 5xx, the text rule names the field', async () => {
    const createVideo = operations.find((o) => o.op.operationId === 'createVideo')!;
    const slots = stringSlots(createVideo.op.requestBody.content['application/json']!.schema);
    expect(slots.map((s) => s.param)).toEqual(expect.arrayContaining(POST_PRODUCTION_FIELDS));
    const uploads = operations.find((o) => o.op.operationId === 'createFileUploads')!;
    const uploadSlots = stringSlots(uploads.op.requestBody.content['application/json']!.schema);
    expect(uploadSlots.map((s) => s.param)).toContain('files.0.purpose');
    const base = { ...baseline(createVideo.op.requestBody.content['application/json']!.schema), ...BASELINE_OVERRIDES.createVideo!() };
    for (const slot of slots.filter((s) => POST_PRODUCTION_FIELDS.includes(s.param)))
      for (const text of HOSTILE) {
        const body = place(base, slot, text);
        await expectSound(await app.request('/v1/videos', { method: 'POST', key: tenantKey, json: body }), text, slot, Buffer.byteLength(JSON.stringify(body)));
      }
    const purpose = uploadSlots.find((s) => s.param === 'files.0.purpose')!;
    for (const text of HOSTILE) {
      const body = place({ files: [{ content_type: 'audio/mpeg', bytes: 10 }] }, purpose, text);
      await expectSound(
        await app.request('/v1/files/uploads', { method: 'POST', key: tenantKey, json: body }),
        text,
        purpose,
        Buffer.byteLength(JSON.stringify(body)),
      );
    }
  });

  it('`n` and `audio_file` on batch rows (free-form items in the spec) take hostile values: no 5xx, a per-row refusal naming the field', async () => {
    for (const [field, value] of [
      ...HOSTILE.map((t) => ['audio_file', t] as const),
      ...[...HOSTILE, -1, 0, 5, 2.5, 2 ** 40, true, [], {}, null].map((v) => ['n', v] as const),
    ]) {
      const items = [{ custom_id: 'a', image: ids.file, prompt: 'p', duration_seconds: 1, [field]: value }];
      const res = await app.request('/v1/batches', { method: 'POST', key: tenantKey, json: { items } });
      const label = `${field}=${JSON.stringify(value)?.slice(0, 40)}`;
      expect(res.status, label).toBeLessThan(500);
      // null is "not given", as on any row.
      if (value === null) continue;
      expect(res.status, label).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-type'), label).toContain('application/problem+json');
      const problem = (await res.json()) as { code: string; errors?: { param: string }[]; rows?: { errors: { param: string }[] }[] };
      // A string the text rule refuses is refused for the whole body, at the edge; anything else is the row's refusal.
      const params = problem.code === 'validation_failed' ? problem.errors!.map((e) => e.param.split('.').pop()) : problem.rows![0]!.errors.map((e) => e.param);
      expect(problem.code, label).toBe(breaksTextRule(String(value)) ? 'validation_failed' : 'batch_invalid_rows');
      expect(params, label).toContain(field);
    }
  });

  it.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))('%s: no 5xx, problem+json refusals', async (_name, { path, method, op }) => {
    const url = path.replace('{id}', () => PATH_IDS[path]?.() ?? 'unknown');
    // The spec marks operator routes (/v1/admin/…, /v1/treasury/…); the rest take a tenant key.
    const key = op['x-operator-only'] ? app.operatorKey : tenantKey;
    const json = op.requestBody.content['application/json'];
    const multipart = op.requestBody.content['multipart/form-data'];
    // Unknown keys are fuzzed too: every body has at least that slot, even one of numbers only.
    const slots: Slot[] = [...(json ? stringSlots(json.schema) : []), { path: ['x'], asKey: true, param: 'body' }];
    // Multipart fields are flat; an extra text part is fuzzed as well, so an upload of bytes only has one.
    const multipartSlots = multipart
      ? [...stringSlots(multipart.schema).filter((s) => s.path.length === 1), { path: ['note'], asKey: false, param: 'note' }]
      : [];
    const send = fc.oneof(
      ...(json ? [fc.record({ kind: fc.constant('json' as const), slot: fc.constantFrom(...slots), text, depth: nest })] : []),
      ...(multipart ? [fc.record({ kind: fc.constant('multipart' as const), slot: fc.constantFrom(...multipartSlots), text, depth: fc.constant(0) })] : []),
    );
    try {
      await fc.assert(
        fc.asyncProperty(send, async ({ kind, slot, text: sent, depth }) => {
          const base = { ...(json ? baseline(json.schema) : {}), ...BASELINE_OVERRIDES[op.operationId]?.() };
          if (kind === 'json' && depth) {
            const body = placeNested(base, slot, sent, depth);
            const res = await app.request(url, { method, key, headers: { 'content-type': 'application/json' }, body });
            return expectSound(res, sent, slot, Buffer.byteLength(body), depth);
          }
          if (kind === 'json') {
            const body = place(base, slot, sent);
            const res = await app.request(url, { method, key, json: body });
            return expectSound(res, sent, slot, Buffer.byteLength(JSON.stringify(body)));
          }
          // FormData sends strings as UTF-8, turning unpaired surrogates into U+FFFD on the way.
          const form = new FormData();
          for (const [k, v] of Object.entries(base)) if (typeof v === 'string' && k !== 'image') form.set(k, v);
          // The file part goes where the route reads it: `file` for uploads and batch files, `image` for videos.
          form.set(FILE_PART[op.operationId] ?? 'image', new Blob([makeImage('png')], { type: 'image/png' }), 'start.png');
          form.set(slot.param, sent);
          const res = await app.request(url, { method, key, body: form });
          return expectSound(res, Buffer.from(sent, 'utf8').toString('utf8'), slot, Buffer.byteLength(sent));
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    } catch (e) {
      throw new Error(`string fuzz of ${op.operationId} failed (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} replays it):\n${(e as Error).message}`);
    }
  });
});
