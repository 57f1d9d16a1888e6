/**
 * Creates the demo tenant the way production does it: the bootstrap admin creates a sales
 * operator, and sales provisions the tenant and its key. Reuses what an earlier run saved when
 * it still works.
 */
export async function provisionDemoTenant(
  apiUrl: string,
  bootstrapKey: string,
  saved: { demoKey?: string; salesKey?: string },
): Promise<{ demoKey: string; salesKey: string }> {
  const works = async (key: string | undefined, path: string) =>
    Boolean(key) && (await fetch(apiUrl + path, { headers: { authorization: `Bearer ${key}` } })).ok;
  const call = async (key: string, path: string, body: unknown) => {
    const res = await fetch(apiUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${path} → ${res.status}: ${await res.text()}`);
    return res.json() as Promise<Record<string, string>>;
  };
  const salesKey = (await works(saved.salesKey, '/v1/admin/tenants?limit=1'))
    ? saved.salesKey!
    : (await call(bootstrapKey, '/v1/admin/operators', { name: 'Demo Sales', email: `sales+${Date.now()}@leoma.dev`, role: 'sales' })).secret;
  if (await works(saved.demoKey, '/v1/me')) return { demoKey: saved.demoKey!, salesKey };
  const tenant = await call(salesKey, '/v1/admin/tenants', { name: 'Demo tenant', plan: 'pro' });
  const key = await call(salesKey, `/v1/admin/tenants/${tenant.id}/api-keys`, { mode: 'test', name: 'dev demo key' });
  return { demoKey: key.secret, salesKey };
}
