import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';
import { RedisClient } from '../../src/platform/redis/redis.client.js';
import { currentPeriod } from '../../src/usage/index.js';

/**
 * When Redis has no counter of a month's settled seconds (first video of the month, or lost
 * Redis data) it is seeded from the usage records. A video settling between that read and the
 * write must still count. The race is made certain: the seed's read, once PostgreSQL has
 * answered it, waits in the pg driver until a running video has settled (nothing of ours is
 * replaced; the read's result is the real one).
 */
let app: TestApp;
const image = dataUri(makeImage('png', '64x64'));

/** A query whose answer, once PostgreSQL has given it, waits until `open()`. */
interface Gate {
  match: (client: pg.Client, sql: string) => boolean;
  reached: boolean;
  open: () => void;
}
let gate: Gate | null = null;
let held: Gate | null = null;
const holdNext = (match: Gate['match']): Gate => (held = gate = { match, reached: false, open: () => undefined });

const original = pg.Client.prototype.query;
beforeAll(async () => {
  app = await startTestApp({ worker: true, env: { VIDEO_MAX_ATTEMPTS: '1' } });
  // At the driver, under TypeORM, in the api and the worker alike: held however the service issues it.
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const result = (original as (...a: unknown[]) => unknown).apply(this, args);
    const g = gate;
    if (!g || !(result instanceof Promise) || !g.match(this, typeof args[0] === 'string' ? args[0] : '')) return result;
    // Only the first match is held (queries may run side by side).
    gate = null;
    return result.then(async (rows: unknown) => {
      await new Promise<void>((r) => {
        g.open = r;
        g.reached = true;
      });
      return rows;
    });
  } as typeof original;
});
afterAll(() => {
  pg.Client.prototype.query = original;
  held?.open();
  return app?.close();
});

const seedRead = (_: pg.Client, sql: string) => sql.includes('select sum(video_seconds) as s from usage_records');
const reached = (g: Gate, what: string) => until(what, async () => g.reached, 10_000, 10);

/** A tenant with 2 included seconds whose first 1-second video is running, and Redis without the month's settled counters. */
async function runningWithoutCounters(): Promise<{ key: string; first: string; used: string; submit: () => Promise<Response> }> {
  const { tenantId, key } = await app.tenant({ limits: { included_video_seconds: 2, overage_allowed: false, concurrent_videos: 5 } });
  const submit = () => app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } });
  app.backend.configure({ delayMs: 1_500 });
  const first = ((await (await submit()).json()) as { id: string }).id;
  await waitForStatus(app, key, first, ['running'], 15_000);
  const redis = app.api.get(RedisClient);
  const used = `${redis.prefix}:q:used:${tenantId}:${currentPeriod().id}`;
  const fields = (await redis.redis.hkeys(used)).filter((f) => f.endsWith('settled') || f === 'spent');
  expect(fields.length).toBeGreaterThan(0);
  await redis.redis.hdel(used, ...fields);
  return { key, first, used, submit };
}

describe('seeding the quota counters', () => {
  it('keeps a settle that lands between reading the usage records and writing the counter', async () => {
    const { key, first, used, submit } = await runningWithoutCounters();
    const read = holdNext(seedRead);
    const second = submit();
    await reached(read, 'the seed read the usage records');
    await waitForStatus(app, key, first, ['succeeded'], 15_000);
    read.open();
    app.backend.configure({ delayMs: 0 });
    expect((await second).status).toBe(202);
    // 1 settled + 1 reserved of 2 included: a third second is over the month's seconds.
    const third = await submit();
    expect([third.status, ((await third.json()) as { code: string }).code]).toEqual([429, 'quota_exceeded']);
    expect(await app.api.get(RedisClient).redis.hget(used, 'settled')).toBe('1');
  });

  it('counts once a video whose record the seed read but whose settle reaches Redis after the seed', async () => {
    const { key, first, used, submit } = await runningWithoutCounters();
    // The worker's settling transaction (the one that reads the key's lineage) has committed, but its answer waits: Redis has not heard of it yet.
    const settling = new WeakSet<pg.Client>();
    const commit = holdNext((client, sql) => {
      if (sql.includes('select lineage_id from api_keys where id = $1')) settling.add(client);
      return settling.has(client) && sql === 'COMMIT';
    });
    await reached(commit, 'the first video committed its usage record');
    // Settled 1 in the records, still reserved in Redis: the seed must not count it twice.
    const second = await submit();
    expect(second.status).toBe(202);
    commit.open();
    app.backend.configure({ delayMs: 0 });
    await waitForStatus(app, key, first, ['succeeded'], 15_000);
    await waitForStatus(app, key, ((await second.json()) as { id: string }).id, ['succeeded'], 15_000);
    // Each video once: 2 settled (a double count would say 3).
    await until('both videos settled in Redis', async () => (await app.api.get(RedisClient).redis.hget(used, 'reserved')) === '0', 10_000, 20);
    expect(await app.api.get(RedisClient).redis.hget(used, 'settled')).toBe('2');
    const third = await submit();
    expect([third.status, ((await third.json()) as { code: string }).code]).toEqual([429, 'quota_exceeded']);
  });
});
