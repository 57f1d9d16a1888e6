import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { BrowserSession } from '../support/browser-session.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';

/** Issue 33 item 5: operators sign in through the operator organisation's OpenID provider, their role from a group claim. */
let app: TestApp;
let idp: TestOidcProvider;

beforeAll(async () => {
  idp = await startOidcProvider({ redirectUris: () => [`${app.url}/v1/auth/sso/callback`] });
  app = await startTestApp({
    env: {
      OPERATOR_SSO_ISSUER: idp.issuer,
      OPERATOR_SSO_CLIENT_ID: idp.clientId,
      OPERATOR_SSO_CLIENT_SECRET: idp.clientSecret,
      OPERATOR_SSO_ALLOWED_DOMAIN: 'staff.example',
      OPERATOR_SSO_ROLE_MAP: 'leoma-admins:admin,leoma-sales:sales,leoma-support:support',
    },
  });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await idp?.close();
});

/** The browser's trip: our start route, the provider's pages (cookies of their own), back to our callback. */
async function operatorTrip(browser: BrowserSession, email: string, groups: string[]): Promise<Response> {
  idp.signInAs(email, { groups });
  const started = await browser.request('/v1/auth/operator/sso', { method: 'POST', json: { email } });
  expect(started.status, await started.clone().text()).toBe(200);
  let next = ((await started.json()) as { url: string }).url;
  const jar = new Map<string, string>();
  for (let hop = 0; hop < 10; hop++) {
    if (next.startsWith(app.url)) return browser.request(next.slice(app.url.length));
    const res = await fetch(next, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`the provider stopped at ${next} with ${res.status}: ${await res.text()}`);
    next = new URL(location, next).href;
  }
  throw new Error('too many redirects');
}

const platformLog = () =>
  app.sql(
    "select action, actor_type, actor_id, target_id, before, after from audit_log where tenant_id is null and action not like 'operator_key.%' order by seq",
  );

describe('operator single sign-on', () => {
  it('makes the operator with the role their group maps to, and follows the group when it changes', async () => {
    const browser = new BrowserSession(app);
    const back = await operatorTrip(browser, 'sam@staff.example', ['everyone', 'leoma-sales']);
    expect(back.status, await back.clone().text()).toBe(303);
    expect(back.headers.get('location')).toBe('/console/');
    const session = (await (await browser.request('/v1/session')).json()) as { operator_id: string; role: string; method: string; email: string };
    expect(session).toMatchObject({ email: 'sam@staff.example', role: 'sales', method: 'sso' });
    expect((await browser.request('/v1/admin/tenants')).status).toBe(200);
    const denied = await browser.request('/v1/admin/operators');
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ code: 'insufficient_role' });

    const again = new BrowserSession(app);
    expect((await operatorTrip(again, 'sam@staff.example', ['leoma-support'])).status).toBe(303);
    expect(((await (await again.request('/v1/session')).json()) as { role: string }).role).toBe('support');
    // The role is the operator's, so the first browser's session has it too from its next request.
    expect(((await (await browser.request('/v1/session')).json()) as { role: string }).role).toBe('support');

    const log = (await platformLog()).filter((e) => e.target_id === session.operator_id || e.actor_id === session.operator_id);
    expect(log.map((e) => [e.action, e.actor_type])).toEqual([
      ['operator.created', 'system'],
      ['session.signed_in', 'operator'],
      ['operator.role_changed', 'system'],
      ['session.signed_in', 'operator'],
    ]);
    expect(log[0]!.after).toMatchObject({ role: 'sales', via: 'sso' });
    expect(log[2]).toMatchObject({ before: { role: 'sales' }, after: { role: 'support', via: 'sso' } });
  });

  it('refuses a person with no mapped group, an address outside the staff domain, a disabled operator and a wrong audience', async () => {
    const cases: [string, string[], number, string][] = [
      ['nora@staff.example', ['everyone'], 403, 'sso_no_operator_role'],
      ['eve@elsewhere.example', ['leoma-admins'], 403, 'sso_domain_not_allowed'],
    ];
    for (const [email, groups, status, code] of cases) {
      const res = await operatorTrip(new BrowserSession(app), email, groups);
      expect(res.status, code).toBe(status);
      expect(await res.json()).toMatchObject({ code });
    }
    expect(await app.sql("select * from operators where email in ('nora@staff.example', 'eve@elsewhere.example')")).toHaveLength(0);

    const created = await app.request('/v1/admin/operators', {
      method: 'POST',
      key: app.operatorKey,
      json: { name: 'Gone', email: 'gone@staff.example', role: 'finance' },
    });
    const { id } = (await created.json()) as { id: string };
    expect((await app.request(`/v1/admin/operators/${id}/disable`, { method: 'POST', key: app.operatorKey })).status).toBeLessThan(300);
    const disabled = await operatorTrip(new BrowserSession(app), 'gone@staff.example', ['leoma-admins']);
    expect(disabled.status).toBe(403);
    expect(await disabled.json()).toMatchObject({ code: 'operator_disabled' });
    expect((await app.sql('select role from operators where id = $1', [id]))[0]).toMatchObject({ role: 'finance' });

    idp.tamperNextIdToken((claims) => {
      claims.aud = 'someone-else';
    });
    const aud = await operatorTrip(new BrowserSession(app), 'sam@staff.example', ['leoma-admins']);
    expect(aud.status).toBe(400);
    expect(await aud.json()).toMatchObject({ code: 'sso_failed', detail: expect.stringMatching(/"aud"/) });

    const refusals = (await platformLog()).filter((e) => e.action === 'session.sign_in_failed');
    expect(refusals.map((e) => [e.target_id, e.after.method, e.after.reason])).toEqual([
      ['nora@staff.example', 'operator_sso', 'sso_no_operator_role'],
      ['eve@elsewhere.example', 'operator_sso', 'sso_domain_not_allowed'],
      ['gone@staff.example', 'operator_sso', 'operator_disabled'],
      ['unknown', 'operator_sso', 'sso_failed'],
    ]);
  });
});
