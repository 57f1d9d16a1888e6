import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestApp, waitForStatus, type TestApp } from './support/test-app.js';
import { dataUri, makeImage } from './support/images.js';
import { until } from './support/until.js';
import { RedisClient } from '../src/platform/redis/redis.client.js';
import { currentPeriod } from '../src/limits/index.js';

/**
 * When Redis has no counter of a month's settled seconds (first video of the month, or lost
 * Redis data) it is seeded from the usage records. A video settling between that read and the
 * write must still count. The race is made certain: the seed's read, once PostgreSQL has
 * answered it, waits in the pg driver until a running video has settled (nothing of ours is
 * replaced; the read's result is the real one).
 */
let app: TestApp;
let release: () => void = () => undefined;
let armed = false;
let held = false;
const image = dataUri(makeImage('png', '64x64'));

const original = pg.Client.prototype.query;
beforeAll(async () => {
  app = await startTestApp({ worker: true, env: { VIDEO_MAX_ATTEMPTS: '1' } });
  // At the driver, under TypeORM: the seed's read is held however the service issues it.
  pg.Client.prototype.query = held1(original);
});
afterAll(() => {
  pg.Client.prototype.query = original;
  release();
  return app?.close();
});

/** The query, except that the seed's read (once, when armed) answers only after `release()`. */
function held1(query: typeof original): typeof original {
  return function (this: pg.Client, ...args: unknown[]) {
    const result = (query as (...a: unknown[]) => unknown).apply(this, args);
    const sql = typeof args[0] === 'string' ? args[0] : '';
    if (!armed || !sql.includes('select sum(u.video_seconds) as s from usage_records') || !(result instanceof Promise)) return result;
    armed = false;
    return result.then(async (rows: unknown) => {
      held = true;
      await new Promise<void>((r) => (release = r));
      return rows;
    });
  } as typeof original;
}

describe('seeding the quota counters', () => {
  it('keeps a settle that lands between reading the usage records and writing the counter', async () => {
    const { tenantId, key } = await app.tenant({ limits: { included_video_seconds: 2, overage_allowed: false, concurrent_videos: 5 } });
    const submit = () => app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } });
    app.backend.configure({ delayMs: 1_500 });
    const first = (await (await submit()).json()) as { id: string };
    await waitForStatus(app, key, first.id, ['running'], 15_000);
    // Redis loses the month's settled counters while the first video runs.
    const redis = app.api.get(RedisClient);
    const used = `${redis.prefix}:q:used:${tenantId}:${currentPeriod().id}`;
    const fields = (await redis.redis.hkeys(used)).filter((f) => f.endsWith('settled') || f === 'spent');
    expect(fields.length).toBeGreaterThan(0);
    await redis.redis.hdel(used, ...fields);

    armed = true;
    const second = submit();
    await until('the seed read the usage records', async () => held, 10_000, 10);
    await waitForStatus(app, key, first.id, ['succeeded'], 15_000);
    release();
    app.backend.configure({ delayMs: 0 });
    expect((await second).status).toBe(202);
    // 1 settled + 1 reserved of 2 included: a third second is over the month's seconds.
    const third = await submit();
    expect([third.status, ((await third.json()) as { code: string }).code]).toEqual([429, 'quota_exceeded']);
  });
});
