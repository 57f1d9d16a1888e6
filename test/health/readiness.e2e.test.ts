import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RunningRedis } from '../../tools/dev/redis-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

/**
 * Readiness answers for this replica alone: a shared dependency going down (Redis, or PostgreSQL
 * in a database failover) leaves it ready — every replica would otherwise leave the Service at
 * once — and shows in its own probe and metric instead; an event loop too busy to answer in time
 * makes it unready until it recovers.
 */
let redis: RunningRedis;
let app: TestApp;
let database: TcpGate;

beforeAll(async () => {
  redis = await startRedis();
  database = await tcpGate();
  app = await startTestApp({
    env: { REDIS_URL: redis.url, API_READY_MAX_EVENT_LOOP_DELAY_MS: '1000' },
    // The API reaches PostgreSQL through the gate; the test's own queries go direct.
    databaseUrl: (direct) => {
      const url = new URL(direct);
      database.target = { host: url.hostname, port: Number(url.port) };
      url.hostname = '127.0.0.1';
      url.port = String(database.port);
      return url.toString();
    },
  });
});
afterAll(async () => {
  await app?.close();
  await redis?.stop();
  database?.close();
});

/** A TCP relay to PostgreSQL that can be cut (connections reset, new ones refused), as a database failover looks from a pod. */
interface TcpGate {
  port: number;
  target: { host: string; port: number };
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): void;
}

async function tcpGate(): Promise<TcpGate> {
  const sockets = new Set<Socket>();
  let server: Server;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = connect(gate.target.port, gate.target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const gate: TcpGate = {
    port: 0,
    target: { host: '127.0.0.1', port: 0 },
    async cut() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    async restore() {
      await listen(gate.port);
    },
    close() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
  gate.port = await listen(0);
  return gate;
}

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

  it('stays ready while PostgreSQL is unreachable; the dependency probe and metric say so', async () => {
    await database.cut();
    try {
      const deps = await until('the dependency probe to see PostgreSQL down', async () => {
        const res = await app.request('/health/dependencies');
        return res.status === 503 ? ((await res.json()) as { details: Record<string, { up: boolean }> }) : undefined;
      });
      expect(deps.details.postgres!.up).toBe(false);
      expect(deps.details.redis!.up).toBe(true);
      expect(await dependencyMetric('postgres')).toBe('0');
      expect((await app.request('/health/ready')).status).toBe(200);
    } finally {
      await database.restore();
    }
    await until('PostgreSQL back in the probe', async () => (await app.request('/health/dependencies')).status === 200, 30_000, 200);
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
