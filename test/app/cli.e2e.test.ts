import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { runCli } from '../../tools/cli/leoma.js';

let app: TestApp;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  app = await startTestApp();
  // Sales provisions; the bootstrap admin creates the sales operator first, with the CLI too.
  env = { LEOMA_API_URL: app.url, LEOMA_API_KEY: app.operatorKey };
  const sales = await leoma('operators', 'create', '--name', 'Sam', '--email', 'sam@leoma.test', '--role', 'sales', '--json');
  expect(sales.code).toBe(0);
  env = { LEOMA_API_URL: app.url, LEOMA_API_KEY: JSON.parse(sales.out).secret };
});
afterAll(() => app?.close());

async function leoma(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, env, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

describe('the leoma CLI', () => {
  it('provisions an enterprise tenant with custom limits and a key, end to end', async () => {
    const created = await leoma(
      'tenants',
      'create',
      '--name',
      'Megastore',
      '--plan',
      'enterprise',
      '--limit',
      'concurrent_videos=200',
      '--limit',
      'overage_allowed=false',
      '--billing',
      'invoice',
      '--net-days',
      '30',
      '--json',
    );
    expect(created.code).toBe(0);
    const tenant = JSON.parse(created.out);
    expect(tenant).toMatchObject({
      plan: 'enterprise',
      billing: { mode: 'invoice', net_days: 30 },
      limits: { concurrent_videos: 200, overage_allowed: false },
    });

    const key = JSON.parse((await leoma('keys', 'create', tenant.id, '--name', 'prod', '--scopes', 'videos:read,videos:write', '--json')).out);
    expect(key.secret).toMatch(/^lk_live_/);
    const me = (await (await app.request('/v1/me', { key: key.secret })).json()) as Record<string, any>;
    expect(me).toMatchObject({ tenant: { id: tenant.id }, limits: { concurrent_videos: 200 } });

    const shown = await leoma('tenants', 'show', tenant.id);
    expect(shown.out).toContain('Megastore');
    expect(shown.out).toMatch(/concurrent_videos\s*│\s*200/);
    const listed = await leoma('tenants', 'list', '--plan', 'enterprise');
    expect(listed.out).toContain(tenant.id);

    expect((await leoma('tenants', 'suspend', tenant.id)).code).toBe(0);
    expect((await app.request('/v1/me', { key: key.secret })).status).toBe(403);
    const revoked = JSON.parse((await leoma('keys', 'revoke', tenant.id, key.id, '--json')).out);
    expect(revoked.revoked_at).toBeTruthy();
  });

  it('says what went wrong, with the stable code, and exits non-zero', async () => {
    const bad = await leoma('tenants', 'create', '--name', 'x', '--plan', 'platinum');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('plan_not_found');
    expect((await leoma('operators', 'list')).err).toContain('insufficient_role');
    const noKey = await runCli(['tenants', 'list'], { LEOMA_API_URL: app.url }, { out: () => undefined, err: () => undefined });
    expect(noKey).toBe(78);
  });
});
