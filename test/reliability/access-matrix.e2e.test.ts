import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, createVideo, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

/**
 * The authentication half of the access matrix, generated from the committed spec (route-access
 * covers scopes and operator roles): every route that declares security refuses no key, a
 * malformed key, a revoked key and an expired key with 401 problem+json; the only routes without
 * security are the listed public ones; and a tenant's full-scope key gets nothing of another
 * tenant's objects from any route that takes an id — never a 2xx, nothing of the victim in a body.
 * Within one tenant the same holds between modes: a test key gets 404 for every live object on
 * every tenant route that takes an id (403 on a live-only one), and a live key for every test object.
 */
const PUBLIC = new Set([
  'GET /health/live',
  'GET /health/ready',
  'GET /health/dependencies',
  'GET /v1/models',
  'GET /v1/public/burns',
  'GET /v1/pricing',
  // A share link is its own credential: an HMAC over tenant, mode, video and expiry (batch-files-out.e2e).
  'GET /v1/shared/{token}',
  // The ways in for people (test/people): each only sends a link or redeems a single-use, browser-bound token.
  'POST /v1/signup',
  'POST /v1/auth/email-link',
  'POST /v1/auth/operator/email-link',
  'POST /v1/auth/verify',
  'POST /v1/invitations/accept',
  'POST /v1/auth/sso',
  'POST /v1/auth/operator/sso',
  // An enterprise handover link: the single-use token in the path is the credential (test/people/claim-links).
  'POST /v1/claim-links/{token}/accept',
]);

type Op = {
  security?: unknown[];
  'x-operator-only'?: boolean;
  /** A browser session's own routes: a key is refused (403 session_required) whatever it is; test/people/session-access covers them. */
  'x-session-only'?: boolean;
  'x-key-modes'?: string[];
  parameters?: { in: string; name: string; required?: boolean; schema?: { format?: string; example?: unknown } }[];
};
const spec = JSON.parse(readFileSync('openapi/openapi.json', 'utf8')) as { paths: Record<string, Record<string, Op>> };
const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
);
const secured = operations.filter((o) => o.op.security?.length);

let app: TestApp;
let revokedKey: string;
let expiringKey: string;
let intruder: string;
let victimTenantId: string;
const victimIds: string[] = [];
/** One tenant's keys of both modes, and the objects each made: video, file, batch, webhook endpoint, event. */
const modes = { live: { key: '', ids: [] as string[] }, test: { key: '', ids: [] as string[] } };

/** An object of every kind that carries `livemode`, made with `key`. */
async function objectsOf(key: string, image: string): Promise<string[]> {
  const videoId = await createVideo(app, key, image);
  const form = new FormData();
  form.set('file', new Blob([makeImage('png', '64x64')], { type: 'image/png' }), 'a.png');
  const file = (await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as { id: string };
  const batch = (await (
    await app.request('/v1/batches', { method: 'POST', key, json: { items: [{ custom_id: 'a', prompt: 'p', image, duration_seconds: 1 }] } })
  ).json()) as { id: string };
  const endpoint = (await (await app.request('/v1/webhook-endpoints', { method: 'POST', key, json: { url: 'https://8.8.8.8/hooks' } })).json()) as {
    id: string;
  };
  const event = ((await (await app.request('/v1/events', { key })).json()) as { data: { id: string }[] }).data[0]!;
  const ids = [videoId, file.id, batch.id, endpoint.id, event.id];
  expect(ids.every(Boolean), JSON.stringify(ids)).toBe(true);
  return ids;
}

beforeAll(async () => {
  // Hundreds of deliberate failures from one address: the failed-auth throttle (auth-throttle.e2e) would answer 429.
  app = await startTestApp({ worker: true, env: { AUTH_FAILURES_PER_MINUTE: '1000000', SANDBOX_REQUESTS_PER_MINUTE: '100000' } });
  const victim = await app.tenant();
  victimTenantId = victim.tenantId;
  const image = dataUri(makeImage('png', '64x64'));
  const videoId = await createVideo(app, victim.key, image);
  await waitForStatus(app, victim.key, videoId, ['succeeded', 'failed']);
  const form = new FormData();
  form.set('purpose', 'video_input');
  form.set('file', new Blob([makeImage('png', '64x64')], { type: 'image/png' }), 'a.png');
  const file = (await (await app.request('/v1/files', { method: 'POST', key: victim.key, body: form })).json()) as { id: string };
  const endpoint = (await (await app.request('/v1/webhook-endpoints', { method: 'POST', key: victim.key, json: { url: 'https://8.8.8.8/hooks' } })).json()) as {
    id: string;
  };
  const event = ((await (await app.request('/v1/events', { key: victim.key })).json()) as { data: { id: string }[] }).data[0]!;
  const spare = (await (await app.request('/v1/api-keys', { method: 'POST', key: victim.key, json: { name: 'spare' } })).json()) as {
    id: string;
    secret: string;
  };
  victimIds.push(videoId, file.id, endpoint.id, event.id, spare.id);
  expect(victimIds.every(Boolean), JSON.stringify(victimIds)).toBe(true);

  revokedKey = spare.secret;
  expect((await app.request(`/v1/api-keys/${spare.id}`, { method: 'DELETE', key: victim.key })).status).toBeLessThan(300);
  const expiresAt = new Date(Date.now() + 1500).toISOString();
  expiringKey = (
    (await (await app.request('/v1/api-keys', { method: 'POST', key: victim.key, json: { name: 'brief', expires_at: expiresAt } })).json()) as {
      secret: string;
    }
  ).secret;
  intruder = (await app.tenant()).key;
  // Many calls from one tenant: neither mode's rate limit is what this checks.
  const both = await app.tenant({ limits: { requests_per_minute: 100_000 } });
  modes.live.key = both.key;
  modes.test.key = (
    (await (await app.request(`/v1/admin/tenants/${both.tenantId}/api-keys`, { method: 'POST', key: app.operatorKey, json: { mode: 'test' } })).json()) as {
      secret: string;
    }
  ).secret;
  modes.live.ids = await objectsOf(modes.live.key, image);
  modes.test.ids = await objectsOf(modes.test.key, image);
  await new Promise((r) => setTimeout(r, 1600));
}, 120_000);
afterAll(() => app?.close());

const call = (method: string, path: string, key?: string) =>
  app.request(path.replace(/\{[^}]+\}/g, 'x_1'), { method, key, ...(method === 'GET' || method === 'DELETE' ? {} : { json: {} }) });

describe('unauthenticated routes', () => {
  it('are exactly the public ones', () => {
    const open = operations.filter((o) => !o.op.security?.length).map((o) => `${o.method} ${o.path}`);
    expect(open.filter((o) => !PUBLIC.has(o))).toEqual([]);
  });
});

describe.each(secured)('$method $path', ({ method, path, op }) => {
  it('refuses no key, a malformed, a revoked and an expired key with 401 problem+json', async () => {
    const sessionOnly = op['x-session-only'] === true;
    const cases: [string | undefined, string][] = [
      [undefined, 'authentication_required'],
      ['lk_live_not_a_real_key', sessionOnly ? 'session_required' : 'invalid_api_key'],
      [revokedKey, sessionOnly ? 'session_required' : 'invalid_api_key'],
      [expiringKey, sessionOnly ? 'session_required' : 'api_key_expired'],
    ];
    for (const [key, code] of cases) {
      const res = await call(method, path, key);
      expect(res.status, `${code}`).toBe(code === 'session_required' ? 403 : 401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { code: string }).code).toBe(code);
    }
  });
});

const tenantRoutesWithIds = secured.filter((o) => !o.op['x-operator-only'] && !o.op['x-session-only'] && o.path.includes('{'));
/** A valid body where an empty one would be refused (400) before the id is looked up. */
const BODIES: Record<string, unknown> = { 'PATCH /v1/members/{id}': { role: 'viewer' } };

describe.each(tenantRoutesWithIds)("another tenant's ids on $method $path", ({ method, path }) => {
  it("never answer 2xx nor show anything else of the victim's", async () => {
    for (const id of victimIds) {
      const res = await app.request(path.replace(/\{[^}]+\}/g, id), {
        method,
        key: intruder,
        ...(method === 'GET' || method === 'DELETE' ? {} : { json: {} }),
      });
      const body = await res.text();
      expect(res.status, `${method} ${path} with ${id}: ${body}`).toBeGreaterThanOrEqual(400);
      // The id itself may be echoed (the caller sent it); nothing else of the victim may appear.
      for (const other of [victimTenantId, ...victimIds.filter((v) => v !== id)]) expect(body).not.toContain(other);
    }
  });
});

/** Required query parameters filled with valid values, so the answer is about the id, not a 400 for the query. */
function validQuery(op: Op): string {
  const required = (op.parameters ?? []).filter((p) => p.in === 'query' && p.required);
  return required.length
    ? `?${required.map((p) => `${p.name}=${encodeURIComponent(p.schema?.format === 'date-time' ? new Date(Date.now() - 3_600_000).toISOString() : String(p.schema?.example ?? 'x'))}`).join('&')}`
    : '';
}

describe.each(tenantRoutesWithIds)("the other mode's ids on $method $path", ({ method, path, op }) => {
  it('are 404 for a test key with live objects and for a live key with test objects', async () => {
    // A live-only route refuses a test key whatever the id (test-key-matrix.e2e checks that).
    const testKeyAnswer = op['x-key-modes']?.includes('test') ? 404 : 403;
    for (const [key, ids, expected] of [
      [modes.test.key, modes.live.ids, testKeyAnswer],
      [modes.live.key, modes.test.ids, 404],
    ] as const) {
      for (const id of ids) {
        const res = await app.request(path.replace(/\{[^}]+\}/g, id) + validQuery(op), {
          method,
          key,
          ...(method === 'GET' || method === 'DELETE' ? {} : { json: BODIES[`${method} ${path}`] ?? {} }),
        });
        const body = await res.text();
        expect(res.status, `${method} ${path} with ${id}: ${body}`).toBe(expected);
        for (const other of ids.filter((v) => v !== id)) expect(body).not.toContain(other);
      }
    }
  });
});
