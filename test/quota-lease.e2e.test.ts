import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';
import { dataUri, makeImage } from './support/images.js';

let app: TestApp;

beforeAll(async () => {
  // No worker: the videos wait in the queue far longer than the (2 s) lease of a fresh reservation.
  app = await startTestApp({ env: { VIDEO_LEASE_SECONDS: '2' } });
});
afterAll(() => app?.close());

describe('quota reservations', () => {
  it('hold for as long as the video waits in the queue, past the lease', async () => {
    const { key } = await app.tenant({ limits: { concurrent_videos: 1, included_video_seconds: 1, overage_allowed: false } });
    const submit = () => app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: dataUri(makeImage('png', '64x64')), duration_seconds: 1 } });
    const first = await submit();
    expect(first.status).toBe(202);
    expect((await submit()).status).toBe(429);
    await new Promise((r) => setTimeout(r, 2_500));
    // A backlog longer than the lease: the slot and the seconds are still taken.
    const later = await submit();
    expect(later.status).toBe(429);
    const usage = (await (await app.request('/v1/usage', { key })).json()) as Record<string, any>;
    expect(usage).toMatchObject({ concurrent_videos: { active: 1 }, video_seconds: { reserved: 1 } });

    // Ending the video is what frees them.
    const { id } = (await first.json()) as { id: string };
    expect((await app.request(`/v1/videos/${id}/cancel`, { method: 'POST', key })).status).toBe(200);
    expect((await submit()).status).toBe(202);
  });

  it('of a video whose row was never written still expire with the lease', async () => {
    const { QuotaService } = await import('../src/limits/index.js');
    const quota = app.api.get(QuotaService);
    const { tenantId } = await app.tenant({ limits: { concurrent_videos: 1 } });
    // As an API that died between reserving and inserting the row leaves it: reserved, never held.
    const redis = (quota as unknown as { client: { redis: import('ioredis').Redis; prefix: string } }).client;
    const leases = `${redis.prefix}:q:leases:${tenantId}`;
    await redis.redis.zadd(leases, Date.now() + 1_000, 'vid_never_written');
    await redis.redis.hset(`${redis.prefix}:q:lease-info`, 'vid_never_written', `${tenantId}|k|2026-11|1`);
    expect((await quota.read(tenantId)).active).toBe(1);
    await new Promise((r) => setTimeout(r, 1_200));
    expect((await quota.read(tenantId)).active).toBe(0);
  });
});
