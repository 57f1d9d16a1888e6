import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { sql } from '../support/sql.js';

let app: TestApp;
let worker: INestApplicationContext | undefined;

beforeAll(async () => {
  // The worker starts only once the videos are queued and the tenant is suspended.
  app = await startTestApp();
});
afterAll(async () => {
  await worker?.close();
  await app?.close();
});

const admin = (path: string) => app.request(`/v1/admin/tenants/${path}`, { method: 'POST', key: app.operatorKey });

describe('a suspended tenant', () => {
  it('gets 403 tenant_suspended, its queued videos do not run, and it works again when resumed', async () => {
    const { key, tenantId } = await app.tenant();
    const bystander = await app.tenant();
    const submit = (k: string) =>
      app.request('/v1/videos', { method: 'POST', key: k, json: { prompt: 'p', image: dataUri(makeImage('png', '64x64')), duration_seconds: 1 } });
    const queued = await Promise.all([submit(key), submit(key)]);
    const ids = await Promise.all(queued.map(async (r) => ((await r.json()) as { id: string }).id));
    const other = ((await (await submit(bystander.key)).json()) as { id: string }).id;

    expect((await admin(`${tenantId}/suspend`)).status).toBe(200);
    for (const path of ['/v1/me', '/v1/videos', `/v1/videos/${ids[0]}`]) {
      const res = await app.request(path, { key });
      expect(res.status, path).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'tenant_suspended' });
    }

    const { WorkerModule } = await import('../../src/app/worker.module.js');
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
    await worker.init();
    expect((await waitForStatus(app, bystander.key, other, ['succeeded', 'failed'])).status).toBe('succeeded');
    await expect
      .poll(async () => await sql(app.db.url, 'select status, error_code, started_at from videos where id = any($1) order by id', [ids]), { timeout: 10_000 })
      .toEqual(ids.map(() => ({ status: 'failed', error_code: 'tenant_suspended', started_at: null })));

    expect((await admin(`${tenantId}/resume`)).status).toBe(200);
    expect((await app.request('/v1/me', { key })).status).toBe(200);
    const usage = (await (await app.request('/v1/usage', { key })).json()) as Record<string, any>;
    expect(usage.video_seconds).toMatchObject({ used: 0, reserved: 0 });
  });
});
