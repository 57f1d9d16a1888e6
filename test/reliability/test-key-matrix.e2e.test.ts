import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, createVideo, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

/**
 * The mode half of the access matrix, generated from the committed spec: a test key (the key
 * customers put in CI and demos) reaches no live data. Every tenant route says which key modes
 * it serves (`x-key-modes`, from @KeyModes); a live-only one answers a test key 403
 * `livemode_required` before anything else, and one that serves both, called with a test key
 * on the test objects, shows nothing of the tenant's live side: no live id, no live secret, no
 * `livemode: true`. A new tenant route that declares neither fails the first test.
 */
type Op = {
  security?: unknown[];
  'x-operator-only'?: boolean;
  'x-session-only'?: boolean;
  'x-key-modes'?: string[];
  parameters?: { in: string; name: string; required?: boolean; schema?: { format?: string; example?: unknown } }[];
};
const spec = JSON.parse(readFileSync('openapi/openapi.json', 'utf8')) as { paths: Record<string, Record<string, Op>> };
const tenantRoutes = Object.entries(spec.paths)
  .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })))
  // A session's own routes take no key at all (test/people/session-access covers them).
  .filter((o) => o.op.security?.length && !o.op['x-operator-only'] && !o.op['x-session-only']);
const liveOnly = tenantRoutes.filter((o) => o.op['x-key-modes']?.join() === 'live');
const bothModes = tenantRoutes.filter((o) => o.op['x-key-modes']?.join() === 'live,test');

let app: TestApp;
const keys = { live: '', test: '' };
/** Ids of the test objects, tried on every GET route that takes an id. */
const testIds: string[] = [];
/** What only the live side of the tenant knows: a test key's answer must contain none of these. */
const liveMarkers: string[] = [];

async function body<T>(res: Promise<Response>): Promise<T> {
  const r = await res;
  const b = (await r.json()) as T;
  expect(r.status, JSON.stringify(b)).toBeLessThan(300);
  return b;
}

/** A video, file, batch, webhook endpoint and event made with `key`; returns their ids. */
async function objectsOf(key: string, image: string): Promise<string[]> {
  const videoId = await createVideo(app, key, image);
  const form = new FormData();
  form.set('file', new Blob([makeImage('png', '64x64')], { type: 'image/png' }), 'a.png');
  const file = await body<{ id: string }>(app.request('/v1/files', { method: 'POST', key, body: form }));
  const batch = await body<{ id: string }>(
    app.request('/v1/batches', { method: 'POST', key, json: { items: [{ custom_id: 'a', prompt: 'p', image, duration_seconds: 1 }] } }),
  );
  const endpoint = await body<{ id: string }>(app.request('/v1/webhook-endpoints', { method: 'POST', key, json: { url: 'https://8.8.8.8/hooks' } }));
  const event = (await body<{ data: { id: string }[] }>(app.request('/v1/events', { key }))).data[0]!;
  return [videoId, file.id, batch.id, endpoint.id, event.id];
}

beforeAll(async () => {
  app = await startTestApp({ worker: true, env: { SANDBOX_REQUESTS_PER_MINUTE: '100000' } });
  const image = dataUri(makeImage('png', '64x64'));
  const tenant = await app.tenant({ limits: { requests_per_minute: 100_000 } });
  keys.live = tenant.key;
  const test = await body<{ id: string; secret: string }>(
    app.request(`/v1/admin/tenants/${tenant.tenantId}/api-keys`, { method: 'POST', key: app.operatorKey, json: { mode: 'test' } }),
  );
  keys.test = test.secret;

  // The live side: objects, a refused submission, an audit entry, a spend alert, the signing secret.
  liveMarkers.push(tenant.keyId, ...(await objectsOf(keys.live, image)));
  const refused = await app.request('/v1/videos', { method: 'POST', key: keys.live, json: { prompt: 'a beheading video', image, duration_seconds: 1 } });
  expect(refused.status).toBe(422);
  liveMarkers.push((await body<{ data: { id: string }[] }>(app.request('/v1/moderation-events', { key: keys.live }))).data[0]!.id);
  const liveKey = await body<{ id: string }>(app.request('/v1/api-keys', { method: 'POST', key: keys.live, json: { name: 'live spare' } }));
  liveMarkers.push(liveKey.id, (await body<{ data: { id: string }[] }>(app.request('/v1/audit-log', { key: keys.live }))).data[0]!.id);
  liveMarkers.push(
    (
      await body<{ id: string }>(
        app.request('/v1/billing/alerts', { method: 'POST', key: keys.live, json: { metric: 'seconds', threshold: 1, hard_cap: true } }),
      )
    ).id,
  );
  liveMarkers.push((await body<{ secret: string }>(app.request('/v1/webhook-secret', { key: keys.live }))).secret);

  testIds.push(test.id, ...(await objectsOf(keys.test, image)));
}, 120_000);
afterAll(() => app?.close());

/** Required query parameters filled with valid values, so the answer is about the mode, not a 400 for the query. */
function validQuery(op: Op): string {
  const required = (op.parameters ?? []).filter((p) => p.in === 'query' && p.required);
  return required.length
    ? `?${required.map((p) => `${p.name}=${encodeURIComponent(p.schema?.format === 'date-time' ? new Date(Date.now() - 3_600_000).toISOString() : String(p.schema?.example ?? 'x'))}`).join('&')}`
    : '';
}

const call = (method: string, path: string, key: string) =>
  app.request(path, { method, key, ...(method === 'GET' || method === 'DELETE' ? {} : { json: {} }) });

describe('tenant routes', () => {
  it('each say which key modes they serve', () => {
    const undeclared = tenantRoutes.filter((o) => !liveOnly.includes(o) && !bothModes.includes(o)).map((o) => `${o.method} ${o.path}`);
    expect(undeclared, 'declare @KeyModes on these routes').toEqual([]);
    expect(liveOnly.length).toBeGreaterThan(0);
    expect(bothModes.length).toBeGreaterThan(0);
  });

  it('include every billing route, the moderation events and the audit log among the live-only', () => {
    const names = liveOnly.map((o) => `${o.method} ${o.path}`);
    for (const o of tenantRoutes.filter((r) => r.path.startsWith('/v1/billing'))) expect(names).toContain(`${o.method} ${o.path}`);
    expect(names).toEqual(expect.arrayContaining(['GET /v1/moderation-events', 'GET /v1/audit-log']));
  });
});

describe.each(liveOnly)('live-only $method $path', ({ method, path, op }) => {
  it('answers a test key 403 livemode_required, and not a live key', async () => {
    const url = path.replace(/\{[^}]+\}/g, 'x_1') + validQuery(op);
    const res = await call(method, url, keys.test);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe('livemode_required');
    const live = await call(method, url, keys.live);
    expect(((await live.json().catch(() => ({}))) as { code?: string }).code).not.toBe('livemode_required');
  });
});

/** The ids to put in a route's path: each test object for a read; a placeholder for a change or a stream, which would consume the objects or never end. */
const idsFor = (method: string, path: string) => (!path.includes('{') ? [''] : method === 'GET' && !path.endsWith('/events') ? testIds : ['x_1']);

describe.each(bothModes)('test mode on $method $path', ({ method, path, op }) => {
  it('serves a test key with nothing of the live side', async () => {
    for (const id of idsFor(method, path)) {
      const res = await call(method, path.replace(/\{[^}]+\}/g, id) + validQuery(op), keys.test);
      const text = await res.text();
      expect(res.status, `${id}: ${text}`).toBeLessThan(500);
      if (res.status === 403) expect(text).not.toContain('livemode_required');
      for (const marker of liveMarkers) expect(text, `${id} shows live ${marker}`).not.toContain(marker);
      expect(text).not.toMatch(/"livemode"\s*:\s*true/);
    }
  });
});
