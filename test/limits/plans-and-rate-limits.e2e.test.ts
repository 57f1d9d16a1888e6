import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QueueName } from '../../src/platform/queue/queue-names.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

let app: TestApp;
const image = dataUri(makeImage('png', '64x64'));

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

describe('plans as data', () => {
  it('GET /v1/me shows the tenant, its plan and the limits after contract overrides', async () => {
    const { key, tenantId } = await app.tenant({ plan: 'starter', limits: { concurrent_videos: 7, max_resolution: '480p' } });
    const res = await app.request('/v1/me', { key });
    expect(res.status).toBe(200);
    const me = (await res.json()) as Record<string, any>;
    expect(me).toMatchObject({ object: 'me', tenant: { id: tenantId, status: 'active' }, plan: 'starter' });
    expect(me.limits).toEqual({
      included_video_seconds: 1800,
      overage_allowed: true,
      requests_per_minute: 300,
      concurrent_videos: 7,
      max_duration_seconds: 10,
      max_resolution: '480p',
      max_batch_size: 100,
      retention_days: 30,
      queue_priority: 5,
      uploads_per_day: 2000,
      uploads_per_month: 20000,
      max_queue_seconds: 3600,
      max_queued_videos: 200,
      batch_complete_seconds: 259200,
    });
  });

  it("refuses a duration or resolution above the tenant's plan", async () => {
    const { key } = await app.tenant({ plan: 'free' });
    const long = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 6 } });
    expect(long.status).toBe(422);
    expect(await long.json()).toMatchObject({ code: 'duration_not_allowed', errors: [{ param: 'duration_seconds' }] });
    const hd = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1, resolution: '720p' } });
    expect(hd.status).toBe(422);
    expect(await hd.json()).toMatchObject({ code: 'resolution_not_allowed' });
  });

  it('GET /v1/usage reports the period against the limits', async () => {
    const { key } = await app.tenant({ plan: 'free' });
    const ok = await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 4 } });
    expect(ok.status).toBe(202);
    // The plan's queue priority travels with the job (free: 10, after every paid plan).
    const job = await app.api.get<Queue>(getQueueToken(QueueName.Videos)).getJob(((await ok.json()) as { id: string }).id);
    expect(job?.opts.priority).toBe(10);
    const usage = (await (await app.request('/v1/usage', { key })).json()) as Record<string, any>;
    expect(usage).toMatchObject({
      object: 'usage',
      video_seconds: { included: 60, used: 0, reserved: 4, remaining: 56, overage_allowed: false },
      concurrent_videos: { limit: 1, active: 1 },
    });
  });
});

describe('request rate limits', () => {
  it('sends RateLimit headers and answers 429 rate_limited with Retry-After over the tenant rate', async () => {
    const { key } = await app.tenant({ limits: { requests_per_minute: 3 } });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await app.request('/v1/me', { key });
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers.get('ratelimit-policy')).toBe('"tenant";q=3;w=60');
        expect(last.headers.get('ratelimit')).toMatch(/^"tenant";r=2;t=\d+$/);
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last!.json()).toMatchObject({ code: 'rate_limited', status: 429 });
  });

  it("a key's own limit rejects without spending the tenant's rate", async () => {
    const t = await app.tenant({ limits: { requests_per_minute: 5 }, key: { rate_limit_per_minute: 2 } });
    // Made by the operator: a key made by key A would inherit A's own limit of 2.
    const other = await app.request(`/v1/admin/tenants/${t.tenantId}/api-keys`, { method: 'POST', key: app.operatorKey, json: { name: 'second' } });
    const second = ((await other.json()) as { secret: string }).secret;
    // Two requests of key A, then it is out.
    for (let i = 0; i < 2; i++) expect((await app.request('/v1/me', { key: t.key })).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await app.request('/v1/me', { key: t.key })).status).toBe(429);
    // The tenant has spent 2 of 5: three refused requests of key A took nothing from it.
    const b = await Promise.all([1, 2, 3].map(() => app.request('/v1/me', { key: second })));
    expect(b.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await app.request('/v1/me', { key: second })).status).toBe(429);
  });

  it('does not let 100 concurrent requests past a rate of 20', async () => {
    const { key } = await app.tenant({ limits: { requests_per_minute: 20 } });
    const res = await Promise.all(Array.from({ length: 100 }, () => app.request('/v1/me', { key })));
    expect(res.filter((r) => r.status === 200)).toHaveLength(20);
    expect(res.filter((r) => r.status === 429)).toHaveLength(80);
  });
});
