import { createServer, type Server } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RedisClient } from '../platform/redis/redis.client.js';
import { Draining } from '../platform/lifecycle/draining.js';
import { serveMetrics } from '../platform/metrics/metrics-endpoint.js';

const PROBE_TIMEOUT_MS = 2000;

/**
 * The worker has no HTTP API; this small server gives Kubernetes its probes and Prometheus its
 * scrape: /health/live (the event loop answers), /health/ready (PostgreSQL and Redis answer and
 * the worker is not draining), /metrics.
 */
export async function startWorkerHealthServer(app: INestApplicationContext, port: number, host: string): Promise<Server> {
  const db = app.get<DataSource>(getDataSourceToken(), { strict: false });
  const redis = app.get(RedisClient, { strict: false });
  const draining = app.get(Draining, { strict: false });
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return send(405, { status: 'error', error: 'GET only' });
    if (path === '/health/live') return send(200, { status: 'ok' });
    if (path === '/metrics') return void serveMetrics(req, res);
    if (path === '/health/ready') {
      if (draining.active) return send(503, { status: 'error', error: 'draining' });
      void Promise.all([check(() => db.query('select 1')), check(() => redis.redis.ping())]).then(([postgres, redisUp]) =>
        send(postgres.up && redisUp.up ? 200 : 503, { status: postgres.up && redisUp.up ? 'ok' : 'error', details: { postgres, redis: redisUp } }),
      );
      return;
    }
    send(404, { status: 'error', error: 'not found' });

    function send(status: number, body: unknown): void {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

async function check(probe: () => Promise<unknown>): Promise<{ up: boolean; message?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS))),
    ]);
    return { up: true };
  } catch (e) {
    return { up: false, message: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
