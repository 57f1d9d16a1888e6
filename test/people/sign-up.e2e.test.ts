import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { BrowserSession } from '../support/browser-session.js';
import { startMailbox, linkToken, type Mailbox } from '../../tools/dev/mailbox.js';
import { dataUri, makeImage } from '../support/images.js';

/** Issue 33: a stranger signs up, verifies by the emailed link and makes a video — real HTTP, real SMTP on loopback. */
let app: TestApp;
let mailbox: Mailbox;

beforeAll(async () => {
  mailbox = await startMailbox();
  app = await startTestApp({ worker: true, env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(mailbox.port), MAIL_RELAY_INTERVAL_MS: '50' } });
});
afterAll(async () => {
  await app?.close();
  await mailbox?.stop();
});

const mailTo = (to: string, subject: RegExp) => mailbox.waitFor((m) => m.to.includes(to) && subject.test(m.subject));

async function signUp(email: string, organization = 'Ada Studio') {
  const browser = new BrowserSession(app);
  const res = await browser.request('/v1/signup', { method: 'POST', json: { email, organization } });
  expect(res.status).toBe(202);
  const token = linkToken(await mailTo(email, /Confirm your email/));
  return { browser, token };
}

describe('sign-up → verify → first video', () => {
  it('creates nothing until the link is opened, then a free tenant with a test and a live key that make a video', async () => {
    const { browser, token } = await signUp('ada@studio.example');
    expect(await app.sql("select * from users where email = 'ada@studio.example'")).toHaveLength(0);
    expect(await app.sql("select * from tenants where name = 'Ada Studio'")).toHaveLength(0);

    const verified = await browser.request('/v1/auth/verify', { method: 'POST', json: { token } });
    expect(verified.status).toBe(200);
    const body = (await verified.json()) as Record<string, any>;
    expect(body).toMatchObject({ object: 'session', email: 'ada@studio.example', role: 'owner', memberships: [{ role: 'owner' }] });
    expect(body.api_keys.map((k: { mode: string }) => k.mode).sort()).toEqual(['live', 'test']);
    const cookie = verified.headers.getSetCookie().find((c) => c.startsWith('leoma_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(browser.cookies.get('leoma_csrf')).toBe(body.csrf_token);

    const [tenant] = await app.sql('select plan from tenants where id = $1', [body.tenant_id]);
    expect(tenant).toMatchObject({ plan: 'free' });

    // The Quickstart with the new test key.
    const testKey = body.api_keys.find((k: { mode: string }) => k.mode === 'test').secret as string;
    const created = await app.request('/v1/videos', {
      method: 'POST',
      key: testKey,
      json: { prompt: 'first video', image: dataUri(makeImage()), duration_seconds: 1 },
    });
    expect(created.status).toBe(202);
    const video = await waitForStatus(app, testKey, ((await created.json()) as { id: string }).id, ['succeeded', 'failed']);
    expect(video.status).toBe('succeeded');

    // The session reaches the same routes as a key, as the owner's role allows.
    const me = await browser.request('/v1/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ tenant: { id: body.tenant_id } });
    const testSide = await browser.request('/v1/videos', { leomaMode: 'test' });
    expect(((await testSide.json()) as { data: unknown[] }).data).toHaveLength(1);
  });

  it('answers every refusal with a clear 4xx and creates nothing', async () => {
    const refused = await app.request('/v1/signup', { method: 'POST', json: { email: 'x@mailinator.com' } });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ code: 'signup_domain_refused' });
    const injected = await app.request('/v1/signup', { method: 'POST', json: { email: 'eve@example.com\r\nBcc: all@example.com' } });
    expect(injected.status).toBe(400);
    expect(await app.sql("select * from sign_in_links where email like 'eve@%'")).toHaveLength(0);
    expect(await app.sql("select * from outbound_emails where to_address like '%eve@%'")).toHaveLength(0);
  });

  it('throttles a flood of sign-ups from one address (429 with Retry-After), and an already registered address gets 409', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await app.request('/v1/signup', { method: 'POST', json: { email: 'flood@flood.example' } })).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const last = await app.request('/v1/signup', { method: 'POST', json: { email: 'flood@flood.example' } });
    expect(last.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await last.json()).toMatchObject({ code: 'signup_rate_limited' });
    const again = await app.request('/v1/signup', { method: 'POST', json: { email: 'ada@studio.example' } });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'already_registered' });
  });
});

describe('sign-in by email link and the session', () => {
  it('refuses a link from another browser (and leaves it usable where it was asked), then a replay', async () => {
    const { browser, token } = await signUp('grace@navy.example');
    const other = new BrowserSession(app);
    const elsewhere = await other.request('/v1/auth/verify', { method: 'POST', json: { token } });
    expect(elsewhere.status).toBe(403);
    expect(await elsewhere.json()).toMatchObject({ code: 'link_other_browser' });
    expect(other.cookies.has('leoma_session')).toBe(false);
    expect((await browser.request('/v1/auth/verify', { method: 'POST', json: { token } })).status).toBe(200);
    const replay = await browser.request('/v1/auth/verify', { method: 'POST', json: { token } });
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ code: 'link_used' });
  });

  it('signs in again by link, rotates the session, and needs the CSRF token to change anything', async () => {
    const browser = new BrowserSession(app);
    expect((await browser.request('/v1/auth/email-link', { method: 'POST', json: { email: 'ada@studio.example' } })).status).toBe(202);
    // An unknown address gets the same answer and no mail.
    expect((await browser.request('/v1/auth/email-link', { method: 'POST', json: { email: 'nobody@studio.example' } })).status).toBe(202);
    const token = linkToken(await mailTo('ada@studio.example', /sign-in link/));
    const first = await browser.request('/v1/auth/verify', { method: 'POST', json: { token } });
    expect(first.status).toBe(200);
    const oldSession = browser.cookies.get('leoma_session')!;
    const stale = browser.copy(['leoma_session', 'leoma_csrf']);

    // A second sign-in in the same browser replaces the session: the old cookie stops working.
    await browser.request('/v1/auth/email-link', { method: 'POST', json: { email: 'ada@studio.example' } });
    const second = await mailbox.waitFor((m) => m.to.includes('ada@studio.example') && /sign-in link/.test(m.subject) && linkToken(m) !== token);
    expect((await browser.request('/v1/auth/verify', { method: 'POST', json: { token: linkToken(second) } })).status).toBe(200);
    expect(browser.cookies.get('leoma_session')).not.toBe(oldSession);
    const refused = await stale.request('/v1/me');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'invalid_session' });

    const noCsrf = await browser.request('/v1/api-keys', { method: 'POST', json: { mode: 'test', name: 'from the console' }, csrf: false });
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.json()).toMatchObject({ code: 'csrf_token_invalid' });
    const withCsrf = await browser.request('/v1/api-keys', { method: 'POST', json: { mode: 'test', name: 'from the console' } });
    expect(withCsrf.status).toBe(201);
    const key = (await withCsrf.json()) as { created_by: string; secret: string };
    const [user] = await app.sql("select id from users where email = 'ada@studio.example'");
    expect(key.created_by).toBe(user!.id);

    // The session's own key never shows among the tenant's keys.
    const list = (await (await browser.request('/v1/api-keys')).json()) as { data: { name: string }[] };
    expect(list.data.map((k) => k.name).sort()).toEqual(['Default live key', 'Default test key', 'from the console']);

    const sessions = (await (await browser.request('/v1/sessions')).json()) as { data: { id: string; current: boolean }[] };
    expect(sessions.data.filter((s) => s.current)).toHaveLength(1);
    const out = await browser.request('/v1/session/sign-out', { method: 'POST' });
    expect(out.status).toBe(204);
    expect((await browser.request('/v1/me')).status).toBe(401);
  });

  it('ends a session past its idle or absolute expiry (401 session_expired), and a key cannot use session routes', async () => {
    const browser = new BrowserSession(app);
    await browser.request('/v1/auth/email-link', { method: 'POST', json: { email: 'grace@navy.example' } });
    const mail = await mailTo('grace@navy.example', /sign-in link/);
    expect((await browser.request('/v1/auth/verify', { method: 'POST', json: { token: linkToken(mail) } })).status).toBe(200);
    expect((await browser.request('/v1/session')).status).toBe(200);
    await app.sql(
      "update sessions set idle_expires_at = now() - interval '1 second' where user_id = (select id from users where email = 'grace@navy.example')",
    );
    const expired = await browser.request('/v1/me');
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ code: 'session_expired' });
    const { key } = await app.tenant();
    const byKey = await app.request('/v1/sessions', { key });
    expect(byKey.status).toBe(403);
    expect(await byKey.json()).toMatchObject({ code: 'session_required' });
  });

  it('sends each message once, with a stable Message-ID, and blanks its body once sent', async () => {
    const rows = await app.sql("select id, status, text_body from outbound_emails where to_address = 'ada@studio.example' and status = 'sent'");
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.text_body).toBe('');
      expect(mailbox.messages.filter((m) => m.messageId === `<${row.id}@leoma>`)).toHaveLength(1);
    }
  });
});
