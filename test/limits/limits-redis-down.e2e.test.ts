import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { startRedis, type RunningRedis } from '../../tools/dev/redis-server.js';

// Limits fail closed: with its Redis stopped the API meters nothing, so it lets no tenant request
// through (503 with a problem code) and writes nothing; it recovers once Redis is back.
let redis: RunningRedis;
let app: TestApp;

beforeAll(async () => {
  redis = await startRedis();
  app = await startTestApp({ env: { REDIS_URL: redis.url } });
});
afterAll(async () => {
  await app?.close();
  await redis?.stop();
});

const videos = async () => (await app.sql('select count(*)::int as n from videos'))[0]!.n as number;

describe('with Redis down', () => {
  it('tenant requests get 503 service_unavailable, nothing is created, and the API recovers with Redis', async () => {
    const { key } = await app.tenant();
    const submit = () =>
      app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: dataUri(makeImage('png', '64x64')), duration_seconds: 1 } });
    expect((await app.request('/v1/videos', { key })).status).toBe(200);
    const before = await videos();

    await redis.stop();
    for (const res of [await app.request('/v1/videos', { key }), await submit()]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.headers.get('retry-after')).toBeTruthy();
      expect(((await res.json()) as { code: string }).code).toBe('service_unavailable');
    }
    expect(await videos()).toBe(before);
    // Operator keys are not metered: the admin API stays usable during the incident.
    expect((await app.request('/v1/admin/tenants', { key: app.operatorKey })).status).toBe(200);

    redis = await startRedis({ port: redis.port });
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && (status = (await app.request('/v1/videos', { key })).status) !== 200) await new Promise((r) => setTimeout(r, 200));
    expect(status).toBe(200);
    expect((await submit()).status).toBe(202);
  });
});
