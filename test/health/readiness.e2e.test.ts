import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RunningRedis } from '../../tools/dev/redis-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

/**
 * Readiness answers for this replica alone: a shared dependency going down (here Redis) leaves it
 * ready — every replica would otherwise leave the Service at once — and shows in its own probe
 * and metric instead; an event loop too busy to answer in time makes it unready until it recovers.
 */
let redis: RunningRedis;
let app: TestApp;

beforeAll(async () => {
  redis = await startRedis();
  app = await startTestApp({ env: { REDIS_URL: redis.url, API_READY_MAX_EVENT_LOOP_DELAY_MS: '1000' } });
});
afterAll(async () => {
  await app?.close();
  await redis?.stop();
});

const dependencyMetric = async (dependency: string) => {
  const text = await (await app.request('/metrics')).text();
  return new RegExp(`^leoma_dependency_up\\{dependency="${dependency}"\\} (\\d)$`, 'm').exec(text)?.[1];
};

describe('readiness and dependency health', () => {
  it('with every dependency up: ready, dependencies up, the metric says 1', async () => {
    expect((await app.request('/health/ready')).status).toBe(200);
    const deps = await app.request('/health/dependencies');
    expect(deps.status).toBe(200);
    expect(await deps.json()).toEqual({ status: 'ok', details: { postgres: { up: true }, redis: { up: true } } });
    expect(await dependencyMetric('postgres')).toBe('1');
    expect(await dependencyMetric('redis')).toBe('1');
  });

  it('stays ready while Redis is down; the dependency probe and metric say so', async () => {
    await redis.stop();
    try {
      const deps = await until('the dependency probe to see Redis down', async () => {
        const res = await app.request('/health/dependencies');
        return res.status === 503 ? ((await res.json()) as { details: Record<string, { up: boolean }> }) : undefined;
      });
      expect(deps.details.redis!.up).toBe(false);
      expect(deps.details.postgres!.up).toBe(true);
      expect(await dependencyMetric('redis')).toBe('0');
      expect((await app.request('/health/ready')).status).toBe(200);
    } finally {
      redis = await startRedis({ port: redis.port });
    }
    await until('Redis back in the probe', async () => (await app.request('/health/dependencies')).status === 200, 30_000, 200);
  });

  it('is unready after its event loop was blocked beyond the limit, and ready again once it runs freely', async () => {
    await app.request('/health/ready');
    // The API runs in this process: a synchronous stretch here blocks its event loop.
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        const end = Date.now() + 2500;
        while (Date.now() < end) {
          // busy: nothing else runs
        }
        resolve();
      }, 20),
    );
    const res = await app.request('/health/ready');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'service_unavailable', reason: 'overloaded' });
    await until('ready again', async () => (await app.request('/health/ready')).status === 200, 10_000, 100);
  });
});
