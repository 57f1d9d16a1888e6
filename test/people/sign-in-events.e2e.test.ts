import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startMailbox, linkToken, type Mailbox } from '../../tools/dev/mailbox.js';
import { mailEnv, signUpOwner } from '../support/people.js';
import { BrowserSession } from '../support/browser-session.js';

/** Issue 33: sign-ins, sign-outs, revoked sessions and refused links in the tenant's audit log (an operator's in the platform log). */
let app: TestApp;
let mailbox: Mailbox;

beforeAll(async () => {
  mailbox = await startMailbox();
  app = await startTestApp({ worker: true, env: mailEnv(mailbox) });
});
afterAll(async () => {
  await app?.close();
  await mailbox?.stop();
});

/** Asks for a sign-in link in `browser` and returns its token (the n-th such mail to the address). */
async function signInLink(browser: BrowserSession, email: string, path = '/v1/auth/email-link'): Promise<string> {
  const before = mailbox.messages.filter((m) => m.to.includes(email)).length;
  expect((await browser.request(path, { method: 'POST', json: { email } })).status).toBe(202);
  await mailbox.waitFor(() => mailbox.messages.filter((m) => m.to.includes(email)).length > before);
  return linkToken(mailbox.messages.filter((m) => m.to.includes(email)).at(-1)!);
}

const verify = (browser: BrowserSession, token: string) => browser.request('/v1/auth/verify', { method: 'POST', json: { token } });

const events = (tenantId: string | null) =>
  app.sql(
    "select action, actor_type, actor_id, target_id, before, after, request_id from audit_log where tenant_id is not distinct from $1 and action like 'session.%' order by seq",
    [tenantId],
  );

describe('sign-in events', () => {
  it("sign-up, sign-in, replayed, stale and other-browser links, revocation and sign-out land in the tenant's log", async () => {
    const owner = await signUpOwner(app, mailbox, 'ada@events.example');
    const firstSession = ((await (await owner.browser.request('/v1/session')).json()) as { id: string }).id;

    const laptop = new BrowserSession(app);
    const token = await signInLink(laptop, 'ada@events.example');
    const signedIn = await verify(laptop, token);
    expect(signedIn.status).toBe(200);
    const laptopSession = ((await signedIn.json()) as { id: string }).id;
    const replay = await verify(laptop, token);
    expect(replay.status).toBe(409);

    const forwarded = await signInLink(new BrowserSession(app), 'ada@events.example');
    expect((await verify(new BrowserSession(app), forwarded)).status).toBe(403);
    const stale = new BrowserSession(app);
    const staleToken = await signInLink(stale, 'ada@events.example');
    await app.sql("update sign_in_links set expires_at = now() - interval '1 second' where consumed_at is null and email = 'ada@events.example'");
    expect((await verify(stale, staleToken)).status).toBe(410);

    expect((await laptop.request(`/v1/sessions/${firstSession}`, { method: 'DELETE' })).status).toBe(200);
    const signOut = await laptop.request('/v1/session/sign-out', { method: 'POST' });
    expect(signOut.status).toBe(204);

    const log = await events(owner.tenantId);
    expect(log.map((e) => [e.action, e.after?.method ?? e.before?.method, e.after?.reason ?? null])).toEqual([
      ['session.signed_in', 'sign_up', null],
      ['session.signed_in', 'email_link', null],
      ['session.sign_in_failed', 'email_link', 'link_used'],
      ['session.sign_in_failed', 'email_link', 'link_other_browser'],
      ['session.sign_in_failed', 'email_link', 'link_expired'],
      ['session.revoked', 'sign_up', null],
      ['session.signed_out', 'email_link', null],
    ]);
    expect(log[0]).toMatchObject({ actor_type: 'user', actor_id: owner.userId, target_id: firstSession });
    expect(log[1]).toMatchObject({ actor_type: 'user', target_id: laptopSession, after: { ip: expect.any(String), user_agent: expect.any(String) } });
    expect(log[2]).toMatchObject({ actor_type: 'system', target_id: 'ada@events.example' });
    expect(log[5]).toMatchObject({ actor_type: 'user', actor_id: owner.userId, target_id: firstSession });
    expect(log[6]).toMatchObject({ target_id: laptopSession, request_id: signOut.headers.get('request-id') });
    // The links themselves never enter the log.
    expect(JSON.stringify(log)).not.toContain(token);
  });

  it("an operator's sign-in, refused link and sign-out land in the platform log", async () => {
    const created = await app.request('/v1/admin/operators', {
      method: 'POST',
      key: app.operatorKey,
      json: { name: 'Fin', email: 'fin@staff.example', role: 'finance' },
    });
    const { id } = (await created.json()) as { id: string };
    const browser = new BrowserSession(app);
    const token = await signInLink(browser, 'fin@staff.example', '/v1/auth/operator/email-link');
    expect((await verify(browser, token)).status).toBe(200);
    expect((await verify(browser, token)).status).toBe(409);
    expect((await browser.request('/v1/session/sign-out', { method: 'POST' })).status).toBe(204);
    const mine = (await events(null)).filter((e) => e.actor_id === id || e.target_id === 'fin@staff.example');
    expect(mine.map((e) => [e.action, e.actor_type, e.after?.reason ?? null])).toEqual([
      ['session.signed_in', 'operator', null],
      ['session.sign_in_failed', 'system', 'link_used'],
      ['session.signed_out', 'operator', null],
    ]);
  });
});
