import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startMailbox, linkToken, type Mailbox } from '../../tools/dev/mailbox.js';
import { mailEnv } from '../support/people.js';
import { BrowserSession } from '../support/browser-session.js';

/** Issue 33 item 5: enterprise handover by a one-time claim link instead of key secrets handed over as JSON. */
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

const op = (path: string, init: RequestInit & { json?: unknown; key?: string } = {}) => app.request(path, { key: app.operatorKey, ...init });

async function provision(): Promise<string> {
  const created = await op('/v1/admin/tenants', { method: 'POST', json: { name: 'Customer Corp', plan: 'enterprise' } });
  expect(created.status).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

async function claimLink(tenantId: string, email: string, key = app.operatorKey): Promise<{ id: string; url: string; token: string }> {
  const res = await op(`/v1/admin/tenants/${tenantId}/claim-links`, { method: 'POST', key, json: { email } });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = (await res.json()) as { id: string; url: string };
  return { ...body, token: new URL(body.url).searchParams.get('token')! };
}

const accept = (browser: BrowserSession, token: string) => browser.request(`/v1/claim-links/${token}/accept`, { method: 'POST' });

describe('claim links', () => {
  it("sales hands a new tenant over: the mailed link makes the address its owner with the tenant's first keys, once", async () => {
    const tenantId = await provision();
    const sales = (await (await op('/v1/admin/operators', { method: 'POST', json: { name: 'Sam', email: 'sam@staff.example', role: 'sales' } })).json()) as {
      id: string;
      secret: string;
    };
    const salesKey = sales.secret;
    const link = await claimLink(tenantId, 'CTO@Customer.example', salesKey);
    expect(link.url).toMatch(/\/console\/claim\?token=/);

    // Only the hash is kept, and the listing never shows the link.
    const [row] = await app.sql('select token_hash from claim_links where id = $1', [link.id]);
    expect(row.token_hash).not.toContain(link.token);
    const listed = await op(`/v1/admin/tenants/${tenantId}/claim-links`);
    expect(listed.status).toBe(200);
    const list = (await listed.json()) as { data: Record<string, unknown>[] };
    expect(list.data).toEqual([expect.objectContaining({ id: link.id, email: 'cto@customer.example', role: 'owner', status: 'pending' })]);
    expect(JSON.stringify(list)).not.toContain(link.token);

    // The same link went out through the outbox to the named address.
    const mail = await mailbox.waitFor((m) => m.to.includes('cto@customer.example') && /is ready/.test(m.subject));
    expect(linkToken(mail)).toBe(link.token);

    const browser = new BrowserSession(app);
    const res = await accept(browser, link.token);
    expect(res.status, await res.clone().text()).toBe(200);
    const signedIn = (await res.json()) as { tenant_id: string; role: string; email: string; method: string; api_keys: { mode: string; secret: string }[] };
    expect(signedIn).toMatchObject({ tenant_id: tenantId, role: 'owner', email: 'cto@customer.example', method: 'claim_link' });
    expect(signedIn.api_keys.map((k) => k.mode).sort()).toEqual(['live', 'test']);
    const live = signedIn.api_keys.find((k) => k.mode === 'live')!.secret;
    expect((await app.request('/v1/videos', { key: live })).status).toBe(200);
    const members = (await (await browser.request('/v1/members')).json()) as { data: { email: string; role: string }[] };
    expect(members.data).toEqual([expect.objectContaining({ email: 'cto@customer.example', role: 'owner' })]);

    const replay = await accept(new BrowserSession(app), link.token);
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ code: 'claim_link_used' });

    const audit = await app.sql('select action, actor_type, actor_id, after from audit_log where tenant_id = $1 order by seq', [tenantId]);
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['claim_link.created', 'member.added', 'claim_link.accepted', 'session.signed_in', 'session.sign_in_failed']),
    );
    expect(audit.find((a) => a.action === 'claim_link.created')).toMatchObject({ actor_type: 'operator', actor_id: sales.id });
    expect(audit.find((a) => a.action === 'member.added')?.after).toMatchObject({ role: 'owner', via: `claim_link:${link.id}` });
    expect(audit.find((a) => a.action === 'session.sign_in_failed')?.after).toMatchObject({ method: 'claim_link', reason: 'claim_link_used' });
    expect(JSON.stringify(audit)).not.toContain(link.token);
    expect(((await (await op(`/v1/admin/tenants/${tenantId}/claim-links`)).json()) as { data: { status: string }[] }).data[0]!.status).toBe('accepted');
  });

  it('a withdrawn, an expired and an unknown link open nothing; support may not make one; a tenant with a live key gets only a test key', async () => {
    const { tenantId } = await app.tenant();
    const withdrawn = await claimLink(tenantId, 'first@customer2.example');
    const revoked = await op(`/v1/admin/tenants/${tenantId}/claim-links/${withdrawn.id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ status: 'revoked' });
    const late = await claimLink(tenantId, 'first@customer2.example');
    await app.sql("update claim_links set expires_at = now() - interval '1 second' where id = $1", [late.id]);

    const refusals = [
      [withdrawn.token, 409, 'claim_link_used'],
      [late.token, 410, 'claim_link_expired'],
      ['A'.repeat(43), 400, 'link_invalid'],
    ] as const;
    for (const [token, status, code] of refusals) {
      const res = await accept(new BrowserSession(app), token);
      expect(res.status, code).toBe(status);
      expect(await res.json()).toMatchObject({ code });
    }
    expect(await app.sql("select * from users where email = 'first@customer2.example'")).toHaveLength(0);

    const support = (await (
      await op('/v1/admin/operators', { method: 'POST', json: { name: 'Sue', email: 'sue@staff.example', role: 'support' } })
    ).json()) as { secret: string };
    const supportKey = support.secret;
    const denied = await op(`/v1/admin/tenants/${tenantId}/claim-links`, { method: 'POST', key: supportKey, json: { email: 'x@customer2.example' } });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ code: 'insufficient_role' });
    expect((await op(`/v1/admin/tenants/${tenantId}/claim-links`, { key: supportKey })).status).toBe(200);
    expect((await op('/v1/admin/tenants/ten_nope/claim-links', { method: 'POST', json: { email: 'x@customer2.example' } })).status).toBe(404);

    const good = await claimLink(tenantId, 'first@customer2.example');
    const res = await accept(new BrowserSession(app), good.token);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { api_keys: { mode: string }[] }).api_keys.map((k) => k.mode)).toEqual(['test']);
  });
});
