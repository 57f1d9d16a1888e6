import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startMailbox, linkToken, type Mailbox } from '../../tools/dev/mailbox.js';
import { inviteAndAccept, mailEnv, signUpOwner, type SignedUp } from '../support/people.js';
import { BrowserSession } from '../support/browser-session.js';

/** Issue 33 item 2: members, roles, invitations, role changes and removal, each in the audit log. */
let app: TestApp;
let mailbox: Mailbox;
let owner: SignedUp;

beforeAll(async () => {
  mailbox = await startMailbox();
  app = await startTestApp({ worker: true, env: mailEnv(mailbox) });
  owner = await signUpOwner(app, mailbox, 'owner@members.example');
});
afterAll(async () => {
  await app?.close();
  await mailbox?.stop();
});

describe('members and roles', () => {
  it("a developer reaches the developer's routes only; a role change applies to their next request; removal ends their session at once", async () => {
    const dev = await inviteAndAccept(owner.browser, mailbox, 'dev@members.example', 'developer');
    expect((await dev.browser.request('/v1/videos')).status).toBe(200);
    const key = await dev.browser.request('/v1/api-keys', { method: 'POST', json: { name: 'dev key', mode: 'test' } });
    expect(key.status).toBe(201);
    const created = (await key.json()) as { id: string; secret: string; scopes: string[]; created_by: string };
    expect(created.created_by).toBe(dev.userId);
    // A key made by a developer holds no more than the developer's role.
    expect(created.scopes).not.toContain('billing:read');
    expect(created.scopes).not.toContain('members:manage');
    const members = await dev.browser.request('/v1/members');
    expect(members.status).toBe(403);
    expect(await members.json()).toMatchObject({ code: 'insufficient_scope' });
    expect((await dev.browser.request('/v1/billing')).status).toBe(403);

    const listed = (await (await owner.browser.request('/v1/members')).json()) as { data: { id: string; email: string; role: string }[] };
    expect(listed.data.map((m) => [m.email, m.role])).toEqual([
      ['owner@members.example', 'owner'],
      ['dev@members.example', 'developer'],
    ]);

    expect((await owner.browser.request(`/v1/members/${dev.userId}`, { method: 'PATCH', json: { role: 'viewer' } })).status).toBe(200);
    const asViewer = await dev.browser.request('/v1/api-keys', { method: 'POST', json: { name: 'no more', mode: 'test' } });
    expect(asViewer.status).toBe(403);
    expect((await dev.browser.request('/v1/videos')).status).toBe(200);

    expect((await owner.browser.request(`/v1/members/${dev.userId}`, { method: 'DELETE' })).status).toBe(200);
    const gone = await dev.browser.request('/v1/videos');
    expect(gone.status).toBe(401);
    expect(await gone.json()).toMatchObject({ code: 'invalid_session' });
    // The key they created stays the tenant's and keeps working.
    expect((await app.request('/v1/videos', { key: created.secret })).status).toBe(200);

    const audit = await app.sql('select action, actor_type from audit_log where tenant_id = $1 order by seq', [owner.tenantId]);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['invitation.created', 'member.added', 'member.role_changed', 'member.removed']));
    expect(audit.filter((a) => a.action === 'member.role_changed')[0]).toMatchObject({ actor_type: 'user' });
  });

  it('keeps one owner, and only an owner makes or removes an owner', async () => {
    const self = await owner.browser.request(`/v1/members/${owner.userId}`, { method: 'PATCH', json: { role: 'admin' } });
    expect(self.status).toBe(409);
    expect(await self.json()).toMatchObject({ code: 'last_owner' });
    const admin = await inviteAndAccept(owner.browser, mailbox, 'admin@members.example', 'admin');
    const promote = await admin.browser.request(`/v1/members/${admin.userId}`, { method: 'PATCH', json: { role: 'owner' } });
    expect(promote.status).toBe(403);
    expect(await promote.json()).toMatchObject({ code: 'owner_required' });
    const removeOwner = await admin.browser.request(`/v1/members/${owner.userId}`, { method: 'DELETE' });
    expect(removeOwner.status).toBe(403);
    const inviteOwner = await admin.browser.request('/v1/invitations', { method: 'POST', json: { email: 'x@members.example', role: 'owner' } });
    expect(inviteOwner.status).toBe(403);
    // An API key with members:manage acts as an admin, never an owner.
    const key = owner.keys.find((k) => k.mode === 'live')!.secret;
    const byKey = await app.request(`/v1/members/${owner.userId}`, { method: 'DELETE', key });
    expect(byKey.status).toBe(403);
    expect(await byKey.json()).toMatchObject({ code: 'owner_required' });
  });

  it('refuses an expired invitation, a replayed one and a withdrawn one (4xx, nothing created)', async () => {
    const invite = async (email: string) => {
      const res = await owner.browser.request('/v1/invitations', { method: 'POST', json: { email, role: 'viewer' } });
      expect(res.status).toBe(201);
      const mail = await mailbox.waitFor((m) => m.to.includes(email));
      return { id: ((await res.json()) as { id: string }).id, token: linkToken(mail) };
    };
    const expired = await invite('late@members.example');
    await app.sql("update invitations set expires_at = now() - interval '1 second' where id = $1", [expired.id]);
    const late = await new BrowserSession(app).request('/v1/invitations/accept', { method: 'POST', json: { token: expired.token } });
    expect(late.status).toBe(410);
    expect(await late.json()).toMatchObject({ code: 'invitation_expired' });
    expect(await app.sql("select * from users where email = 'late@members.example'")).toHaveLength(0);

    const once = await invite('once@members.example');
    expect((await new BrowserSession(app).request('/v1/invitations/accept', { method: 'POST', json: { token: once.token } })).status).toBe(200);
    const replay = await new BrowserSession(app).request('/v1/invitations/accept', { method: 'POST', json: { token: once.token } });
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ code: 'invitation_used' });

    const withdrawn = await invite('withdrawn@members.example');
    expect((await owner.browser.request(`/v1/invitations/${withdrawn.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await new BrowserSession(app).request('/v1/invitations/accept', { method: 'POST', json: { token: withdrawn.token } })).status).toBe(409);
  });
});
