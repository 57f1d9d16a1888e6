import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { sql } from '../support/sql.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const adminGet = async (path: string) => (await (await app.request(path, { key: app.operatorKey })).json()) as Record<string, any>;

describe('the audit log', () => {
  it('records every change by an operator or a tenant with who, what, before/after and the request id', async () => {
    const { key, tenantId, keyId } = await app.tenant();
    const created = await app.request('/v1/api-keys', { method: 'POST', key, json: { name: 'x' } });
    const newKey = (await created.json()) as { id: string };
    await app.request(`/v1/api-keys/${newKey.id}`, { method: 'DELETE', key });
    const patch = await app.request(`/v1/admin/tenants/${tenantId}`, {
      method: 'PATCH',
      key: app.operatorKey,
      json: { limit_overrides: { concurrent_videos: 9 } },
    });
    expect(patch.status).toBe(200);

    const log = await adminGet(`/v1/admin/audit-log?tenant_id=${tenantId}&limit=100`);
    expect(log.data.map((e: { action: string }) => e.action)).toEqual([
      'tenant.updated',
      'api_key.revoked',
      'api_key.created',
      'api_key.created',
      'tenant.created',
    ]);
    const revoked = log.data[1];
    expect(revoked).toMatchObject({ actor: { type: 'tenant', id: keyId }, target: { type: 'api_key', id: newKey.id }, before: { revoked_at: null } });
    expect(revoked.after.revoked_at).toBeTruthy();
    expect(revoked.request_id).toMatch(/^req_/);
    expect(log.data[0]).toMatchObject({ actor: { type: 'operator', id: 'bootstrap' }, after: { limit_overrides: { concurrent_videos: 9 } } });
    expect(JSON.stringify(log)).not.toMatch(/secret_hash|lk_live_/);

    const filtered = await adminGet(`/v1/admin/audit-log?action=api_key.revoked&tenant_id=${tenantId}`);
    expect(filtered.data).toHaveLength(1);
    const own = (await (await app.request('/v1/audit-log?limit=100', { key })).json()) as Record<string, any>;
    expect(own.data).toHaveLength(5);
    const someoneElse = await app.tenant();
    const theirs = (await (await app.request('/v1/audit-log', { key: someoneElse.key })).json()) as Record<string, any>;
    expect(theirs.data.every((e: { tenant_id: string }) => e.tenant_id === someoneElse.tenantId)).toBe(true);
  });

  it('refuses UPDATE and DELETE of an audit row in the database itself', async () => {
    await app.tenant();
    await expect(sql(app.db.url, "update audit_log set action = 'x'")).rejects.toThrow(/append-only/);
    await expect(sql(app.db.url, 'delete from audit_log')).rejects.toThrow(/append-only/);
    await expect(sql(app.db.url, 'truncate audit_log')).rejects.toThrow(/append-only/);
  });

  it("chains each tenant's entries by hash, so an edit behind the trigger's back is detected", async () => {
    const { tenantId, key } = await app.tenant();
    await app.request('/v1/api-keys', { method: 'POST', key, json: { name: 'y' } });
    expect(await adminGet(`/v1/admin/audit-log/verify?tenant_id=${tenantId}`)).toEqual({ ok: true, entries: 3 });
    const [second] = await sql(app.db.url, 'select id from audit_log where chain = $1 and seq = 2', [tenantId]);
    // A superuser can switch triggers off; the chain still shows what they did.
    await sql(
      app.db.url,
      `begin; alter table audit_log disable trigger audit_log_no_update_delete;
      update audit_log set after = jsonb_set(after, '{scopes}', '["videos:read"]') where id = '${second.id}';
      alter table audit_log enable trigger audit_log_no_update_delete; commit;`,
    );
    expect(await adminGet(`/v1/admin/audit-log/verify?tenant_id=${tenantId}`)).toMatchObject({
      ok: false,
      broken_at: second.id,
      reason: 'content does not match its hash',
    });
  });
});
