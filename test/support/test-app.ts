import { Module, type INestApplicationContext, type LogLevel } from '@nestjs/common';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { expect, inject } from 'vitest';
import pg from 'pg';
import { createTestBucket, createTestDatabase, uniquePrefix, type TestDatabase } from './isolation.js';
import { appDatabaseUrl } from './database-via.js';
import { startReferenceBackend, type ReferenceBackend, type ReferenceBackendOptions } from '../../gpu/server/server.js';
import { generateKey } from '../../src/core/auth/api-key-format.js';
import { validateAllEnv } from '../../src/app/validate-all.js';

export interface TestApp {
  url: string;
  api: NestExpressApplication;
  worker?: INestApplicationContext;
  /** The first of `backends`. */
  backend: ReferenceBackend;
  /** Reference backends, configured through GPU_BACKENDS as `ref_0`, `ref_1`, … (or GPU_BACKEND_URL as `cfg_default` when only the default one runs). */
  backends: ReferenceBackend[];
  /** Another worker process role in this process, sharing Redis and the database like a separate pod would. */
  startWorker(): Promise<INestApplicationContext>;
  db: TestDatabase;
  operatorKey: string;
  /** A new tenant (enterprise plan unless told) and one key with every scope unless scopes are given. */
  tenant(opts?: {
    scopes?: string[];
    mode?: 'live' | 'test';
    plan?: string;
    limits?: Record<string, unknown>;
    key?: Record<string, unknown>;
  }): Promise<{ tenantId: string; key: string; keyId: string }>;
  request(path: string, init?: RequestInit & { key?: string; json?: unknown }): Promise<Response>;
  /** One query on this file's database, for asserting what the API does not show. */
  sql<R extends Record<string, any> = Record<string, any>>(text: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

/**
 * The real api (and optionally worker) against this file's own database, queue prefix and bucket
 * on the shared services, plus a reference GPU backend of its own.
 */
export async function startTestApp(
  opts: {
    worker?: boolean;
    env?: Record<string, string> /** Log levels of both roles (default ['error']); the logs go to the process's log destination. */;
    logger?: LogLevel[] /** Another app's database: a restart of the same deployment (the caller drops it). */;
    db?: TestDatabase;
    backend?: ReferenceBackendOptions;
    backends?: (ReferenceBackendOptions & { model?: string; modelRevision?: string })[];
    /** The URL the app connects with, from the database's own (e.g. through a PgBouncer of the test's own); migrations and `sql` connect directly. Default: appDatabaseUrl (TEST_DATABASE_VIA). */
    databaseUrl?: (direct: string) => string;
  } = {},
): Promise<TestApp> {
  const backendOpts = opts.backends ?? [{ maxConcurrency: 8, ...opts.backend }];
  const [db, bucket, backends] = await Promise.all([
    opts.db ?? createTestDatabase({ migrated: true }),
    createTestBucket(),
    Promise.all(backendOpts.map((o) => startReferenceBackend(o))),
  ]);
  const backend = backends[0]!;
  // One default backend keeps the GPU_BACKEND_URL shorthand covered; several go through GPU_BACKENDS.
  const backendEnv = opts.backends
    ? {
        GPU_BACKENDS: JSON.stringify(
          backends.map((b, i) => ({
            id: `ref_${i}`,
            url: b.url,
            model: opts.backends![i]!.model,
            model_revision: opts.backends![i]!.modelRevision,
            max_concurrency: backendOpts[i]!.maxConcurrency ?? 1,
          })),
        ),
      }
    : { GPU_BACKEND_URL: backend.url, GPU_BACKEND_MAX_CONCURRENCY: '8' };
  const s3 = inject('s3');
  const operatorKey = generateKey('op');
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: opts.databaseUrl?.(db.url) ?? appDatabaseUrl(db.url),
    DATABASE_POOL_MAX: '5',
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: uniquePrefix('q'),
    S3_BUCKET: bucket.name,
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    API_KEY_HASH_SECRET: 'test-secret-test-secret-test-secret-0123',
    BOOTSTRAP_OPERATOR_KEY: operatorKey,
    ...backendEnv,
    ALLOW_PRIVATE_IMAGE_URLS: 'false',
    VIDEO_RETRY_DELAY_MS: '50',
    ...opts.env,
  });
  validateAllEnv();
  const { createApiApp } = await import('../../src/app/create-api-app.js');
  // A startup error rejects here instead of ending the test process.
  const api = await createApiApp({ logger: opts.logger ?? ['error'], abortOnError: false });
  await api.listen(0, '127.0.0.1');
  const url = (await api.getUrl()).replace('[::1]', '127.0.0.1');
  const workers: INestApplicationContext[] = [];
  const startWorker = async () => {
    const { WorkerModule } = await import('../../src/app/worker.module.js');
    const { LoggingModule } = await import('../../src/platform/logging/logging.module.js');
    // As main-worker builds it: structured logs, job ids on every line.
    @Module({ imports: [LoggingModule.forRole('worker', opts.logger ?? ['error']), WorkerModule] })
    class WorkerRoot {}
    const worker = await NestFactory.createApplicationContext(WorkerRoot, { bufferLogs: true, abortOnError: false });
    worker.useLogger(worker.get(PinoNestLogger));
    await worker.init();
    workers.push(worker);
    return worker;
  };
  if (opts.worker) await startWorker();

  const request: TestApp['request'] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.key) headers.set('authorization', `Bearer ${init.key}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(url + path, { ...init, headers, body, redirect: 'manual' });
  };

  const app: TestApp = {
    url,
    api,
    get worker() {
      return workers[0];
    },
    backend,
    backends,
    startWorker,
    db,
    operatorKey,
    request,
    async sql(text, params) {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        return (await client.query(text, params)).rows;
      } finally {
        await client.end();
      }
    },
    async tenant(t = {}) {
      const created = await request('/v1/admin/tenants', {
        method: 'POST',
        key: operatorKey,
        json: { name: 'Test tenant', plan: t.plan ?? 'enterprise', limit_overrides: t.limits },
      });
      const tenant = (await created.json()) as { id: string };
      if (!created.ok) throw new Error(`tenant not created: ${JSON.stringify(tenant)}`);
      const keyRes = await request(`/v1/admin/tenants/${tenant.id}/api-keys`, {
        method: 'POST',
        key: operatorKey,
        json: { mode: t.mode ?? 'live', ...(t.scopes ? { scopes: t.scopes } : {}), ...t.key },
      });
      const key = (await keyRes.json()) as { id: string; secret: string };
      return { tenantId: tenant.id, key: key.secret, keyId: key.id };
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await api.close();
      await Promise.all(backends.map((b) => b.close()));
      if (!opts.db) await db.drop();
    },
  };
  return app;
}

/** Submits a one-second video (202 expected) and returns its id. */
export async function createVideo(app: TestApp, key: string, image: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1, ...extra } });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

/** Polls a video until it reaches one of the statuses or the deadline passes. */
export async function waitForStatus(app: TestApp, key: string, id: string, statuses: string[], timeoutMs = 60_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.request(`/v1/videos/${id}`, { key });
    const body = (await res.json()) as Record<string, any>;
    if (statuses.includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`video ${id} still ${body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
