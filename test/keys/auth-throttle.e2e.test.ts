import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { generateKey } from '../../src/core/auth/api-key-format.js';

// Item 14 of issue 19: failed authentications are limited per client address, and a key that
// matched nothing is remembered briefly. The API trusts X-Forwarded-For from loopback (as behind
// the ingress), which lets one process play several client addresses.
let app: TestApp;
let tenant: { tenantId: string; key: string; keyId: string };

beforeAll(async () => {
  app = await startTestApp({ env: { AUTH_FAILURES_PER_MINUTE: '5', AUTH_NEGATIVE_CACHE_SECONDS: '1' } });
  tenant = await app.tenant();
});
afterAll(() => app?.close());

const me = (key: string, address: string) => app.request('/v1/me', { key, headers: { 'x-forwarded-for': address } });

describe('failed authentications per client address', () => {
  it('refuses an address with 429 after the limit, before looking at its key, and leaves other addresses alone', async () => {
    for (let i = 0; i < 5; i++) expect((await me(generateKey('live'), '203.0.113.7')).status).toBe(401);
    const blocked = await me(generateKey('live'), '203.0.113.7');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('content-type')).toContain('application/problem+json');
    expect(((await blocked.json()) as { code: string }).code).toBe('too_many_failed_authentications');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The whole address waits, valid key or not; another address is untouched.
    expect((await me(tenant.key, '203.0.113.7')).status).toBe(429);
    expect((await me(tenant.key, '203.0.113.8')).status).toBe(200);
    expect((await me(generateKey('live'), '203.0.113.8')).status).toBe(401);
  });

  it('counts concurrent failures exactly (one atomic count in Redis)', async () => {
    const statuses = await Promise.all(Array.from({ length: 5 }, () => me(generateKey('live'), '203.0.113.9').then((r) => r.status)));
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect((await me(generateKey('live'), '203.0.113.9')).status).toBe(429);
  });
});

describe('negative key lookups', () => {
  it('a key that matched nothing stays unknown for AUTH_NEGATIVE_CACHE_SECONDS without a database lookup', async () => {
    const other = await app.tenant();
    const revoke = await app.request(`/v1/admin/tenants/${other.tenantId}/api-keys/${other.keyId}`, { method: 'DELETE', key: app.operatorKey });
    expect(revoke.ok).toBe(true);
    expect((await me(other.key, '198.51.100.1')).status).toBe(401);
    // The row changes behind the API's back: only a lookup could see it, and within the second there is none.
    await app.sql('update api_keys set revoked_at = null where id = $1', [other.keyId]);
    expect((await me(other.key, '198.51.100.1')).status).toBe(401);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await me(other.key, '198.51.100.1')).status).toBe(200);
  });
});
