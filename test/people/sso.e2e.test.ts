import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startMailbox, linkToken, type Mailbox } from '../../tools/dev/mailbox.js';
import { inviteAndAccept, mailEnv, signUpOwner, type SignedUp } from '../support/people.js';
import { BrowserSession } from '../support/browser-session.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';

/** Issue 33 item 3: OIDC single sign-on against a real provider (oidc-provider) on 127.0.0.1. */
let app: TestApp;
let mailbox: Mailbox;
let idp: TestOidcProvider;
let owner: SignedUp;
let dns: TestDnsServer;

beforeAll(async () => {
  mailbox = await startMailbox();
  dns = await startDnsServer();
  app = await startTestApp({ worker: true, env: { ...mailEnv(mailbox), DNS_SERVERS: dns.address, DNS_TIMEOUT_MS: '2000' } });
  idp = await startOidcProvider({ redirectUris: [`${app.url}/v1/auth/sso/callback`] });
  owner = await signUpOwner(app, mailbox, 'owner@acme.example');
  const configured = await owner.browser.request('/v1/sso', {
    method: 'PUT',
    json: { issuer: idp.issuer, client_id: idp.clientId, client_secret: idp.clientSecret, allowed_domains: ['acme.example'], default_role: 'developer' },
  });
  expect(configured.status).toBe(200);
  const [audit] = await app.sql("select actor_type, after from audit_log where tenant_id = $1 and action = 'sso.configured'", [owner.tenantId]);
  expect(audit).toMatchObject({ actor_type: 'user', after: { issuer: idp.issuer, allowed_domains: ['acme.example'] } });
  expect(JSON.stringify(audit)).not.toContain(idp.clientSecret);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await idp?.close();
  await mailbox?.stop();
  await dns?.close();
});

/** The browser's trip: our start route, the provider's pages (cookies of their own), back to our callback. */
async function ssoTrip(browser: BrowserSession, email: string, start: Record<string, string> = { email }): Promise<Response> {
  idp.signInAs(email);
  const started = await browser.request('/v1/auth/sso', { method: 'POST', json: start });
  expect(started.status).toBe(200);
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

describe('OIDC single sign-on', () => {
  it('lets a domain serve just-in-time membership only once a DNS TXT record proves the tenant owns it', async () => {
    const claimed = await owner.browser.request('/v1/sso/domains/acme.example');
    expect(claimed.status).toBe(200);
    const domain = (await claimed.json()) as { status: string; verification: { type: string; name: string; value: string } };
    expect(domain).toMatchObject({
      status: 'pending',
      verification: { type: 'TXT', name: 'acme.example', value: expect.stringMatching(/^leoma-verification=/) },
    });

    // Unproven: the address leads to no tenant, and naming the tenant signs nobody new in.
    const byEmail = await new BrowserSession(app).request('/v1/auth/sso', { method: 'POST', json: { email: 'grace@acme.example' } });
    expect(byEmail.status).toBe(404);
    const jit = await ssoTrip(new BrowserSession(app), 'grace@acme.example', { tenant_id: owner.tenantId });
    expect(jit.status).toBe(403);
    expect(await jit.json()).toMatchObject({ code: 'sso_domain_unverified' });
    expect(await app.sql("select * from users where email = 'grace@acme.example'")).toHaveLength(0);
    const [refusal] = await app.sql("select after from audit_log where tenant_id = $1 and action = 'session.sign_in_failed'", [owner.tenantId]);
    expect(refusal?.after).toMatchObject({ method: 'sso', reason: 'sso_domain_unverified' });

    const verify = () => owner.browser.request('/v1/sso/domains/acme.example/verify', { method: 'POST' });
    const missing = await verify();
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ code: 'domain_verification_failed', detail: expect.stringContaining('0 TXT record(s)') });
    dns.setTxt('acme.example', ['v=spf1 -all', 'leoma-verification=someone-elses-token']);
    const wrong = await verify();
    expect(wrong.status).toBe(422);
    expect(await wrong.json()).toMatchObject({ detail: expect.stringContaining('another leoma-verification token') });
    dns.setTxt('acme.example', ['v=spf1 -all', domain.verification.value]);
    const proven = await verify();
    expect(proven.status).toBe(200);
    expect(await proven.json()).toMatchObject({ status: 'verified', verified_at: expect.any(String) });
    expect(dns.queries).toBeGreaterThanOrEqual(3);
    expect(((await (await owner.browser.request('/v1/sso')).json()) as { verified_domains: string[] }).verified_domains).toEqual(['acme.example']);
    const [audit] = await app.sql("select actor_type, target_id from audit_log where tenant_id = $1 and action = 'sso.domain_verified'", [owner.tenantId]);
    expect(audit).toMatchObject({ actor_type: 'user', target_id: 'acme.example' });
  });

  it('signs a user of an allowed domain in and makes them a member just in time with the default role', async () => {
    const browser = new BrowserSession(app);
    const back = await ssoTrip(browser, 'grace@acme.example');
    expect(back.status, await back.clone().text()).toBe(303);
    expect(back.headers.get('location')).toBe('/console/');
    const session = (await (await browser.request('/v1/session')).json()) as Record<string, any>;
    expect(session).toMatchObject({ email: 'grace@acme.example', tenant_id: owner.tenantId, role: 'developer', method: 'sso' });
    expect((await browser.request('/v1/videos')).status).toBe(200);
    const audit = await app.sql("select after from audit_log where tenant_id = $1 and action = 'member.added'", [owner.tenantId]);
    expect(audit.map((a) => a.after.via)).toContain('sso');
    const signIns = await app.sql("select actor_id, after from audit_log where tenant_id = $1 and action = 'session.signed_in'", [owner.tenantId]);
    expect(signIns.at(-1)).toMatchObject({ actor_id: session.user_id, after: { method: 'sso' } });
  });

  it('refuses a user outside the allowed domains, a changed nonce, an answer brought to another browser, a wrong audience and a wrong issuer in the ID token', async () => {
    const outsider = await ssoTrip(new BrowserSession(app), 'mallory@evil.example').catch((e: Error) => e);
    // No connection answers for the address's domain: nothing starts.
    expect(outsider).toBeInstanceOf(Error);
    const started = await new BrowserSession(app).request('/v1/auth/sso', { method: 'POST', json: { email: 'mallory@evil.example' } });
    expect(started.status).toBe(404);

    const nonce = await ssoTripAfter(new BrowserSession(app), 'ann@acme.example', () =>
      app.sql("update sso_requests set nonce = 'not-the-nonce' where consumed_at is null"),
    );
    expect(nonce.status).toBe(400);
    expect(await nonce.json()).toMatchObject({ code: 'sso_failed', detail: expect.stringMatching(/nonce/) });
    const [failed] = await app.sql(
      "select after, request_id from audit_log where tenant_id = $1 and action = 'session.sign_in_failed' order by seq desc limit 1",
      [owner.tenantId],
    );
    expect(failed).toMatchObject({ after: { method: 'sso', reason: 'sso_failed' }, request_id: nonce.headers.get('request-id') });

    // The provider's answer carried to another browser: its state is bound to the one that started.
    const thief = new BrowserSession(app);
    const stolen = await ssoTripAfter(new BrowserSession(app), 'ann@acme.example', async () => undefined, thief);
    expect(stolen.status).toBe(403);
    expect(await stolen.json()).toMatchObject({ code: 'link_other_browser' });

    idp.tamperNextIdToken((claims) => {
      claims.aud = 'someone-else';
    });
    const aud = await ssoTrip(new BrowserSession(app), 'ann@acme.example');
    expect(aud.status).toBe(400);
    expect(await aud.json()).toMatchObject({ code: 'sso_failed', detail: expect.stringMatching(/"aud"/) });

    idp.tamperNextIdToken((claims) => {
      claims.iss = 'http://127.0.0.1:1/not-the-issuer';
    });
    const iss = await ssoTrip(new BrowserSession(app), 'ann@acme.example');
    expect(iss.status).toBe(400);
    expect(await iss.json()).toMatchObject({ code: 'sso_failed', detail: expect.stringMatching(/"iss"/) });

    // Nobody of those got in.
    expect(await app.sql("select * from users where email in ('ann@acme.example', 'mallory@evil.example')")).toHaveLength(0);
  });

  it('refuses a provider that names another issuer than the one configured', async () => {
    const impostor = await startOidcProvider({ redirectUris: [`${app.url}/v1/auth/sso/callback`], claimIssuer: 'https://login.acme.example' });
    try {
      const other = await signUpOwner(app, mailbox, 'owner@impostor.example');
      await other.browser.request('/v1/sso', {
        method: 'PUT',
        json: { issuer: impostor.url, client_id: impostor.clientId, client_secret: impostor.clientSecret, allowed_domains: ['impostor.example'] },
      });
      const res = await new BrowserSession(app).request('/v1/auth/sso', { method: 'POST', json: { tenant_id: other.tenantId } });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'sso_failed' });
    } finally {
      await impostor.close();
    }
  });

  it('with SSO required, email links and non-SSO sessions stop reaching the tenant; a removed SSO user is out at once', async () => {
    const viaLink = await inviteAndAccept(owner.browser, mailbox, 'linda@acme.example', 'viewer');
    expect((await viaLink.browser.request('/v1/videos')).status).toBe(200);
    const sso = new BrowserSession(app);
    expect((await ssoTrip(sso, 'owner@acme.example')).status).toBe(303);
    expect(
      (
        await sso.request('/v1/sso', {
          method: 'PUT',
          json: { issuer: idp.issuer, client_id: idp.clientId, allowed_domains: ['acme.example'], sso_required: true },
        })
      ).status,
    ).toBe(200);

    const refused = await viaLink.browser.request('/v1/videos');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'sso_required' });
    const link = new BrowserSession(app);
    await link.request('/v1/auth/email-link', { method: 'POST', json: { email: 'linda@acme.example' } });
    const mail = await mailbox.waitFor((m) => m.to.includes('linda@acme.example') && /sign-in link/.test(m.subject));
    const opened = await link.request('/v1/auth/verify', { method: 'POST', json: { token: linkToken(mail) } });
    expect(opened.status).toBe(403);
    expect(await opened.json()).toMatchObject({ code: 'sso_required' });
    expect((await sso.request('/v1/members')).status).toBe(200);

    const grace = new BrowserSession(app);
    expect((await ssoTrip(grace, 'grace@acme.example')).status).toBe(303);
    const { user_id } = (await (await grace.request('/v1/session')).json()) as { user_id: string };
    expect((await sso.request(`/v1/members/${user_id}`, { method: 'DELETE' })).status).toBe(200);
    const out = await grace.request('/v1/videos');
    expect(out.status).toBe(401);
    expect(await out.json()).toMatchObject({ code: 'invalid_session' });
  });
});

/** A trip where `meddle` runs between the start and the provider's answer, which `arrivesAt` (default: the same browser) brings back. */
async function ssoTripAfter(browser: BrowserSession, email: string, meddle: () => Promise<unknown>, arrivesAt = browser): Promise<Response> {
  const original = browser.request.bind(browser);
  const back = arrivesAt.request.bind(arrivesAt);
  let meddled = false;
  browser.request = async (path, init) => {
    if (!meddled && path.startsWith('/v1/auth/sso/callback')) {
      meddled = true;
      await meddle();
      return back(path, init);
    }
    return original(path, init);
  };
  return ssoTrip(browser, email);
}
