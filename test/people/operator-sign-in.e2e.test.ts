import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startMailbox, linkToken, type Mailbox } from '../../tools/dev/mailbox.js';
import { mailEnv } from '../support/people.js';
import { BrowserSession } from '../support/browser-session.js';

/** Issue 33 item 5: operators sign in as people (emailed link), with their existing roles; disabling one ends their sessions. */
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

async function operatorSession(email: string, role: string): Promise<{ browser: BrowserSession; id: string }> {
  const created = await app.request('/v1/admin/operators', { method: 'POST', key: app.operatorKey, json: { name: role, email, role } });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const browser = new BrowserSession(app);
  expect((await browser.request('/v1/auth/operator/email-link', { method: 'POST', json: { email } })).status).toBe(202);
  const mail = await mailbox.waitFor((m) => m.to.includes(email) && /operator sign-in/.test(m.subject));
  const res = await browser.request('/v1/auth/verify', { method: 'POST', json: { token: linkToken(mail) } });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ operator_id: id, user_id: null, role });
  return { browser, id };
}

describe('operator sign-in', () => {
  it("an operator session takes the operator's role on the admin API, never the tenant API, and needs CSRF to change anything", async () => {
    const support = await operatorSession('support@staff.example', 'support');
    const sales = await operatorSession('sales@staff.example', 'sales');
    expect((await sales.browser.request('/v1/admin/tenants')).status).toBe(200);
    const denied = await support.browser.request('/v1/admin/operators');
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ code: 'insufficient_role' });
    const tenantRoute = await sales.browser.request('/v1/videos');
    expect(tenantRoute.status).toBe(403);
    expect(await tenantRoute.json()).toMatchObject({ code: 'tenant_key_required' });
    const noCsrf = await sales.browser.request('/v1/admin/tenants', { method: 'POST', json: { name: 'Acme', plan: 'enterprise' }, csrf: false });
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.json()).toMatchObject({ code: 'csrf_token_invalid' });
    const created = await sales.browser.request('/v1/admin/tenants', { method: 'POST', json: { name: 'Acme', plan: 'enterprise' } });
    expect(created.status).toBe(201);
    const [audit] = await app.sql("select actor_type, actor_id from audit_log where action = 'tenant.created' and target_id = $1", [
      ((await created.json()) as { id: string }).id,
    ]);
    expect(audit).toMatchObject({ actor_type: 'operator', actor_id: sales.id });
  });

  it('an unknown address gets the same answer and no mail; disabling the operator ends their session at once', async () => {
    expect((await new BrowserSession(app).request('/v1/auth/operator/email-link', { method: 'POST', json: { email: 'nobody@staff.example' } })).status).toBe(
      202,
    );
    const finance = await operatorSession('finance@staff.example', 'finance');
    expect((await finance.browser.request('/v1/session')).status).toBe(200);
    expect((await app.request(`/v1/admin/operators/${finance.id}/disable`, { method: 'POST', key: app.operatorKey })).status).toBeLessThan(300);
    const out = await finance.browser.request('/v1/admin/tenants');
    expect(out.status).toBe(401);
    expect(await out.json()).toMatchObject({ code: 'invalid_session' });
    expect(mailbox.messages.filter((m) => m.to.includes('nobody@staff.example'))).toHaveLength(0);
  });
});
