/**
 * Creates the demo tenant through the admin API, as an operator would; reuses the key from an
 * earlier run when it still works.
 */
export async function provisionDemoTenant(apiUrl: string, operatorKey: string, existingKey?: string): Promise<string> {
  if (existingKey) {
    const probe = await fetch(`${apiUrl}/v1/videos?limit=1`, { headers: { authorization: `Bearer ${existingKey}` } });
    if (probe.ok) return existingKey;
  }
  const call = async (path: string, body: unknown) => {
    const res = await fetch(apiUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${path} → ${res.status}: ${await res.text()}`);
    return res.json() as Promise<Record<string, string>>;
  };
  const tenant = await call('/v1/admin/tenants', { name: 'Demo tenant', plan: 'pro' });
  const key = await call(`/v1/admin/tenants/${tenant.id}/api-keys`, { mode: 'test', name: 'dev demo key' });
  return key.secret;
}
