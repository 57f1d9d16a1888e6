import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * JSON nested deeper than anything we accept is refused where the body is read, with a 400
 * problem, before code that walks it (validation, idempotency fingerprints) could run out of
 * stack. JSON.parse itself takes 100,000 levels; what came after it answered 500.
 */
let app: TestApp;
let key: string;

beforeAll(async () => {
  app = await startTestApp({ env: { JSON_BODY_MAX_BYTES: String(1024 * 1024) } });
  ({ key } = await app.tenant({ limits: { requests_per_minute: 100_000 } }));
});
afterAll(() => app?.close());

const N = 100_000;
const bodies = {
  arrays: '['.repeat(N) + ']'.repeat(N),
  objects: `${'{"a":'.repeat(N)}1${'}'.repeat(N)}`,
  'a field': `{"prompt":"p","metadata":${'['.repeat(N)}${']'.repeat(N)}}`,
  'brackets in strings are not depth': JSON.stringify({ prompt: '['.repeat(5000), items: [] }),
};

describe.each(['/v1/videos', '/v1/videos/estimate', '/v1/batches', '/v1/webhook-endpoints'])('POST %s', (path) => {
  it.each(Object.entries(bodies))('answers a body nested 100,000 deep (%s) with a 400 problem, never a 500', async (name, text) => {
    const res = await app.request(path, { method: 'POST', key, headers: { 'content-type': 'application/json' }, body: text });
    const problem = (await res.json()) as { code: string };
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    if (name.startsWith('brackets')) {
      // Valid shallow JSON: whatever the route says of its fields, the depth is not refused.
      expect(problem.code).not.toBe('json_too_deep');
      expect(res.status).toBeLessThan(500);
    } else {
      expect(res.status, JSON.stringify(problem)).toBe(400);
      expect(problem.code).toBe('json_too_deep');
    }
  });
});
