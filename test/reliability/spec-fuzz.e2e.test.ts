import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorCodeRows } from '../../src/app/error-codes.js';

/**
 * Every operation of the published spec, called with generated input that is often wrong: bodies
 * of any JSON shape (some nested 100,000 deep, some not JSON), query parameters of the wrong type
 * or absurd size, path ids of any spelling, odd values for the headers we read. Whatever comes, the answer
 * is never a 500, and every error is problem+json whose `code` is one of the documented codes
 * with the status the catalogue gives it (a 503 only with a documented 503 code, e.g. billing
 * not configured here). string-fuzz.e2e covers the text rule field by field; this covers shapes.
 *
 * FUZZ_RUNS per operation (default 12), from FUZZ_SEED (default below); a failure prints the
 * seed and counterexample, and FUZZ_SEED=<seed> replays it.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

type Param = { name: string; in: 'query' | 'path' | 'header'; schema?: { type?: string } };
type Op = { operationId: string; parameters?: Param[]; requestBody?: { content: Record<string, unknown> }; security?: unknown[]; 'x-operator-only'?: boolean };
const spec = JSON.parse(readFileSync('openapi/openapi.json', 'utf8')) as { paths: Record<string, Record<string, Op>> };
const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
);

const documented = new Map(errorCodeRows().map((r) => [r.code, r.statuses]));

const weirdString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', ' ', '-1', '0', '1e309', 'NaN', 'null', 'true', '[]', '{}', '../../etc/passwd', '%00', '%', '%%', '?', '#', 'vid_', 'x'.repeat(5000)),
  fc.integer().map(String),
  fc.double().map(String),
);
const json = fc.jsonValue({ maxDepth: 3 });
const body = fc.oneof(
  json.map((v) => ({ type: 'application/json', text: JSON.stringify(v) })),
  fc.record({ extra: json }, { requiredKeys: [] }).map((v) => ({ type: 'application/json', text: JSON.stringify(v) })),
  fc.constantFrom('{', '{"a":', 'nul', '\u0000', '[1,2', `"${'x'.repeat(70_000)}"`).map((text) => ({ type: 'application/json', text })),
  // Nested past what the parser takes (and far past the stack of code that recurses): written by hand, as JSON.stringify would recurse too.
  fc
    .tuple(fc.constantFrom(65, 2_000, 30_000, 100_000), fc.constantFrom(['[', ']'], ['{"a":', '}'], ['{"items":[', ']}']))
    .map(([n, [open, close]]) => ({ type: 'application/json', text: open!.repeat(n) + (open === '[' ? '' : '1') + close!.repeat(n) })),
  fc.string({ maxLength: 50 }).map((text) => ({
    type: fc.sample(
      fc.constantFrom(
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
      ),
      1,
    )[0]!,
    text,
  })),
);
const headers = fc.record(
  {
    'idempotency-key': weirdString,
    accept: fc.constantFrom('*/*', 'application/json', 'text/csv', 'text/event-stream', 'image/png', 'application/problem+json;q=0', ''),
    'last-event-id': weirdString,
  },
  { requiredKeys: [] },
);

let app: TestApp;
let tenantKey: string;

beforeAll(async () => {
  app = await startTestApp();
  ({ key: tenantKey } = await app.tenant({ limits: { requests_per_minute: 1_000_000 } }));
});
afterAll(() => app?.close());

/** Header values fetch itself refuses to send (non-ISO-8859-1, CR/LF) are not a server matter. */
const sendable = (value: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value);

describe.each(operations)('$method $path', ({ method, path, op }) => {
  it('answers generated input without a 500 and with documented problem codes', async () => {
    const query = (op.parameters ?? []).filter((p) => p.in === 'query');
    await fc.assert(
      fc.asyncProperty(
        fc.array(weirdString, { minLength: 1, maxLength: 2 }),
        fc.array(fc.tuple(fc.constantFrom(...(query.length ? query.map((p) => p.name) : ['unknown_param'])), weirdString), { maxLength: 3 }),
        body,
        headers,
        async (pathIds, queryPairs, payload, extraHeaders) => {
          let i = 0;
          const url = new URL(app.url + path.replace(/\{[^}]+\}/g, () => encodeURIComponent(pathIds[i++ % pathIds.length]!)));
          for (const [k, v] of queryPairs) url.searchParams.append(k, v);
          const init: RequestInit = {
            method,
            headers: { authorization: `Bearer ${op['x-operator-only'] ? app.operatorKey : tenantKey}` },
            redirect: 'manual',
            signal: AbortSignal.timeout(20_000),
          };
          for (const [k, v] of Object.entries(extraHeaders)) if (sendable(v)) (init.headers as Record<string, string>)[k] = v;
          if (method !== 'GET' && method !== 'DELETE') {
            (init.headers as Record<string, string>)['content-type'] = payload.type;
            init.body = payload.text;
          }
          const res = await fetch(url, init);
          const type = res.headers.get('content-type') ?? '';
          if (type.includes('text/event-stream')) {
            await res.body?.cancel();
            return;
          }
          const text = await res.text();
          expect(res.status, `${method} ${url.pathname}${url.search}: ${text.slice(0, 300)}`).not.toBe(500);
          if (res.status < 400) return;
          expect(type, text.slice(0, 200)).toContain('application/problem+json');
          const problem = JSON.parse(text) as { code: string; status: number };
          expect(documented.has(problem.code), `undocumented code ${problem.code}`).toBe(true);
          expect(documented.get(problem.code), `${problem.code} answered ${res.status}`).toContain(res.status);
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 120_000);
});
