import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startMailbox, type Mailbox } from '../../tools/dev/mailbox.js';
import { inviteAndAccept, mailEnv, signUpOwner, type SignedUp } from '../support/people.js';
import { BrowserSession } from '../support/browser-session.js';
import { MEMBER_ROLES, ROLE_SCOPES, type MemberRole } from '../../src/people/roles.js';

/**
 * The access matrix for sessions (issue 33), read from the committed spec like the key matrix in
 * test/core/route-access.e2e.test.ts: every keyed route × every member role, and no session, an
 * expired session, a missing CSRF token and another tenant's session.
 */
interface Route {
  method: string;
  path: string;
  scopes: string[];
  operatorOnly: boolean;
}

const spec = JSON.parse(readFileSync('openapi/openapi.json', 'utf8')) as { paths: Record<string, Record<string, Record<string, any>>> };
const routes: Route[] = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([, op]) => op.security?.some((s: Record<string, unknown>) => 'session' in s) && !op['x-session-only'])
    .map(([method, op]) => ({
      method: method.toUpperCase(),
      path: path.replace(/\{[^}]+\}/g, 'x_1'),
      scopes: op['x-required-scopes'] ?? [],
      operatorOnly: op['x-operator-only'] ?? false,
    })),
);
const tenantRoutes = routes.filter((r) => !r.operatorOnly);
const adminRoutes = routes.filter((r) => r.operatorOnly);
const changes = (r: Route) => !['GET', 'HEAD'].includes(r.method);

let app: TestApp;
let mailbox: Mailbox;
let owner: SignedUp;
const sessions = {} as Record<MemberRole, BrowserSession>;

beforeAll(async () => {
  mailbox = await startMailbox();
  // Every route with an expired cookie is a failed authentication each: more than the default per-address throttle allows.
  app = await startTestApp({ worker: true, env: { ...mailEnv(mailbox), AUTH_FAILURES_PER_MINUTE: '100000' } });
  owner = await signUpOwner(app, mailbox, 'owner@matrix.example');
  // The free plan's 60 requests a minute would end the matrix early: the tenant gets a contract plan.
  expect((await app.request(`/v1/admin/tenants/${owner.tenantId}`, { method: 'PATCH', key: app.operatorKey, json: { plan: 'enterprise' } })).status).toBe(200);
  sessions.owner = owner.browser;
  for (const role of MEMBER_ROLES.filter((r) => r !== 'owner')) {
    sessions[role] = (await inviteAndAccept(owner.browser, mailbox, `${role}@matrix.example`, role)).browser;
  }
}, 120_000);
afterAll(async () => {
  await app?.close();
  await mailbox?.stop();
});

const call = (browser: BrowserSession, r: Route, opts: { csrf?: boolean } = {}) =>
  browser.request(r.path, { method: r.method, ...opts, ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { json: {} }) });

it('covers the keyed routes of the spec', () => {
  expect(tenantRoutes.length).toBeGreaterThan(10);
  expect(adminRoutes.length).toBeGreaterThan(10);
});

describe.each(tenantRoutes)('tenant route $method $path', (route) => {
  it.each(MEMBER_ROLES)('as %s: allowed exactly when the role holds its scopes', async (role) => {
    const res = await call(sessions[role], route);
    const allowed = route.scopes.every((s) => (ROLE_SCOPES[role] as readonly string[]).includes(s));
    if (allowed) {
      expect([401, 403], `${role} ${res.status}`).not.toContain(res.status);
    } else {
      expect(res.status, role).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'insufficient_scope' });
    }
  });

  it('without a session 401; a state change without the CSRF token 403', async () => {
    const none = await call(new BrowserSession(app), route);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'authentication_required' });
    if (changes(route)) {
      const res = await call(sessions.owner, route, { csrf: false });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'csrf_token_invalid' });
    }
  });
});

describe.each(adminRoutes)('admin route $method $path', (route) => {
  it('refuses an owner session (403 operator_key_required)', async () => {
    const res = await call(sessions.owner, route);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'operator_key_required' });
  });
});

describe('sessions that must not reach', () => {
  it('an expired session gets 401 session_expired on every route', async () => {
    const stale = await inviteAndAccept(owner.browser, mailbox, 'stale@matrix.example', 'admin');
    await app.sql("update sessions set absolute_expires_at = now() - interval '1 second' where user_id = $1", [stale.userId]);
    for (const route of [...tenantRoutes, ...adminRoutes]) {
      const res = await call(stale.browser, route);
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'session_expired' });
    }
  });

  it("another tenant's owner session sees none of this tenant's members, invitations or keys", async () => {
    const other = await signUpOwner(app, mailbox, 'owner@elsewhere.example');
    const viewer = ((await (await owner.browser.request('/v1/members')).json()) as { data: { id: string; role: string }[] }).data.find(
      (m) => m.role === 'viewer',
    )!;
    const invited = (await (
      await owner.browser.request('/v1/invitations', { method: 'POST', json: { email: 'pending@matrix.example', role: 'viewer' } })
    ).json()) as {
      id: string;
    };
    const [key] = await app.sql("select id from api_keys where tenant_id = $1 and purpose = 'api' limit 1", [owner.tenantId]);
    const members = (await (await other.browser.request('/v1/members')).json()) as { data: { id: string }[] };
    expect(members.data.map((m) => m.id)).toEqual([other.userId]);
    expect((await other.browser.request(`/v1/members/${viewer.id}`, { method: 'PATCH', json: { role: 'admin' } })).status).toBe(404);
    expect((await other.browser.request(`/v1/members/${viewer.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await other.browser.request(`/v1/invitations/${invited.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await other.browser.request(`/v1/api-keys/${key!.id}`, { method: 'DELETE' })).status).toBe(404);
    const switched = await other.browser.request('/v1/session/tenant', { method: 'POST', json: { tenant_id: owner.tenantId } });
    expect(switched.status).toBe(404);
    expect(await switched.json()).toMatchObject({ code: 'membership_not_found' });
  });
});
