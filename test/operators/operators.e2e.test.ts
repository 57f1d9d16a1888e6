import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { sql } from '../support/sql.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const createOperator = async (role: string) => {
  const res = await app.request('/v1/admin/operators', {
    method: 'POST',
    key: app.operatorKey,
    json: { name: role, email: `${role}-${Date.now()}@leoma.test`, role },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key_id: string; secret: string };
};
const listTenants = (key: string) => app.request('/v1/admin/tenants', { key });

describe('operators', () => {
  it('start from the bootstrap admin, get lk_op_ keys stored only as hashes, and can be revoked at once', async () => {
    const sales = await createOperator('sales');
    expect(sales.secret).toMatch(/^lk_op_/);
    const rows = await sql(app.db.url, 'select * from operator_keys where operator_id = $1', [sales.id]);
    expect(JSON.stringify(rows)).not.toContain(sales.secret);
    expect((await listTenants(sales.secret)).status).toBe(200);

    const second = (await (await app.request(`/v1/admin/operators/${sales.id}/keys`, { method: 'POST', key: app.operatorKey })).json()) as {
      id: string;
      secret: string;
    };
    expect((await app.request(`/v1/admin/operators/${sales.id}/keys/${sales.key_id}`, { method: 'DELETE', key: app.operatorKey })).status).toBe(204);
    expect((await listTenants(sales.secret)).status).toBe(401);
    expect((await listTenants(second.secret)).status).toBe(200);
  });

  it('a disabled operator loses every key on the next request, and the change is audited', async () => {
    const support = await createOperator('support');
    expect((await listTenants(support.secret)).status).toBe(200);
    expect((await app.request(`/v1/admin/operators/${support.id}/disable`, { method: 'POST', key: app.operatorKey })).status).toBe(200);
    expect((await listTenants(support.secret)).status).toBe(401);
    const log = (await (await app.request(`/v1/admin/audit-log?target_id=${support.id}`, { key: app.operatorKey })).json()) as Record<string, any>;
    expect(log.data.map((e: { action: string }) => e.action)).toEqual(['operator.disabled', 'operator.created']);
    expect(await (await app.request('/v1/admin/audit-log/verify', { key: app.operatorKey })).json()).toMatchObject({ ok: true });
  });
});
