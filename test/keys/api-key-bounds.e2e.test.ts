import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const post = async (path: string, key: string, json: Record<string, unknown> = {}) => {
  const res = await app.request(path, { method: 'POST', key, json });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const keyCount = async (tenantId: string) => Number((await app.sql('select count(*)::int as n from api_keys where tenant_id = $1', [tenantId]))[0]!.n);

describe('rolling a key cannot escalate the caller', () => {
  it('a keys:manage-only key cannot roll a full-scope key', async () => {
    const { tenantId, key: full, keyId: fullId } = await app.tenant();
    const manager = await post('/v1/api-keys', full, { scopes: ['keys:manage'] });
    expect(manager.status).toBe(201);
    const before = await keyCount(tenantId);

    const rolled = await post(`/v1/api-keys/${fullId}/roll`, manager.body.secret, { grace_seconds: 604_800 });
    expect(rolled.status).toBe(403);
    expect(rolled.body).toMatchObject({ code: 'insufficient_scope' });
    expect(await keyCount(tenantId)).toBe(before);
    // The target is untouched: still valid, no expiry set by the refused roll.
    expect((await app.sql('select expires_at, revoked_at from api_keys where id = $1', [fullId]))[0]).toEqual({ expires_at: null, revoked_at: null });
    // Rolling what it holds itself is still allowed.
    expect((await post(`/v1/api-keys/${manager.body.id}/roll`, manager.body.secret)).status).toBe(201);
  });

  it('a test key cannot roll a live key into a live secret', async () => {
    const { key: live, keyId: liveId } = await app.tenant();
    const test = await post('/v1/api-keys', live, { mode: 'test' });
    expect(test.body.secret).toMatch(/^lk_test_/);
    const rolled = await post(`/v1/api-keys/${liveId}/roll`, test.body.secret);
    expect(rolled.status).toBe(403);
    expect(rolled.body).toMatchObject({ code: 'livemode_required' });
  });

  it('a key without a budget cannot be rolled by a key that has one', async () => {
    const { key: full, keyId: fullId } = await app.tenant();
    const capped = await post('/v1/api-keys', full, { monthly_video_seconds: 10 });
    expect(capped.status).toBe(201);
    const rolled = await post(`/v1/api-keys/${fullId}/roll`, capped.body.secret);
    expect(rolled.status).toBe(403);
    expect(rolled.body).toMatchObject({ code: 'exceeds_calling_key', fields: ['monthly_video_seconds'] });
  });
});

describe('a created key is bounded by the key that creates it', () => {
  it("inherits the caller's expiry and per-key caps when left out, and refuses more", async () => {
    const expiresAt = new Date(Date.now() + 3600_000);
    const { key } = await app.tenant({ key: { expires_at: expiresAt.toISOString(), rate_limit_per_minute: 50, monthly_video_seconds: 30 } });

    const inherited = await post('/v1/api-keys', key, { name: 'child' });
    expect(inherited.status).toBe(201);
    expect(inherited.body).toMatchObject({ rate_limit_per_minute: 50, monthly_video_seconds: 30 });
    expect(new Date(inherited.body.expires_at).getTime()).toBe(new Date(expiresAt.toISOString()).getTime());

    const narrower = await post('/v1/api-keys', key, {
      rate_limit_per_minute: 5,
      monthly_video_seconds: 3,
      expires_at: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(narrower.status).toBe(201);

    const later = await post('/v1/api-keys', key, { expires_at: new Date(Date.now() + 7200_000).toISOString() });
    expect(later.status).toBe(403);
    expect(later.body).toMatchObject({ code: 'exceeds_calling_key', fields: ['expires_at'] });
    const more = await post('/v1/api-keys', key, { rate_limit_per_minute: 51, monthly_video_seconds: 31 });
    expect(more.status).toBe(403);
    expect(more.body).toMatchObject({ code: 'exceeds_calling_key', fields: ['rate_limit_per_minute', 'monthly_video_seconds'] });
  });
});

describe("rolling keeps the key's monthly budget", () => {
  it('seconds used by the old key still count against the new one', async () => {
    // No worker: the two videos stay reserved, which counts against the budget like settled seconds.
    const { key, keyId } = await app.tenant({ key: { monthly_video_seconds: 2 } });
    const image = dataUri(makeImage('png', '64x64'));
    const submit = (k: string) => post('/v1/videos', k, { prompt: 'p', image, duration_seconds: 1 });
    expect((await submit(key)).status).toBe(202);
    expect((await submit(key)).status).toBe(202);
    expect((await submit(key)).body).toMatchObject({ code: 'quota_exceeded' });

    const rolled = await post(`/v1/api-keys/${keyId}/roll`, key);
    expect(rolled.status).toBe(201);
    const refused = await submit(rolled.body.secret);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'quota_exceeded' });
    expect(refused.body.detail).toContain("this key's monthly budget");
  });
});

describe('keys minted by a budgeted key share its budget', () => {
  it('seconds used by the creator count against the keys it made, and theirs against it', async () => {
    const { key } = await app.tenant({ key: { monthly_video_seconds: 2 } });
    const image = dataUri(makeImage('png', '64x64'));
    const submit = (k: string) => post('/v1/videos', k, { prompt: 'p', image, duration_seconds: 1 });
    const child = await post('/v1/api-keys', key, { name: 'child' });
    const narrower = await post('/v1/api-keys', key, { name: 'narrower', monthly_video_seconds: 1 });
    expect([child.status, narrower.status]).toEqual([201, 201]);
    expect((await submit(child.body.secret)).status).toBe(202);
    expect((await submit(key)).status).toBe(202);
    // The lineage's 2 seconds are held: neither the creator nor a fresh key of it gets a third.
    for (const k of [child.body.secret, narrower.body.secret, key]) {
      const refused = await submit(k);
      expect([refused.status, refused.body.code]).toEqual([429, 'quota_exceeded']);
    }
    // A grandchild joins the same lineage.
    const grandchild = await post('/v1/api-keys', child.body.secret, { name: 'grandchild' });
    expect((await submit(grandchild.body.secret)).body).toMatchObject({ code: 'quota_exceeded' });
  });

  it('a key without a budget still mints keys whose budgets are their own', async () => {
    const { key } = await app.tenant();
    const image = dataUri(makeImage('png', '64x64'));
    const a = await post('/v1/api-keys', key, { monthly_video_seconds: 1 });
    const b = await post('/v1/api-keys', key, { monthly_video_seconds: 1 });
    expect((await post('/v1/videos', a.body.secret, { prompt: 'p', image, duration_seconds: 1 })).status).toBe(202);
    expect((await post('/v1/videos', b.body.secret, { prompt: 'p', image, duration_seconds: 1 })).status).toBe(202);
  });
});
