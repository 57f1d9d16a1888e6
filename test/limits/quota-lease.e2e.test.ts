import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

let app: TestApp;

beforeAll(async () => {
  // No worker: the videos wait in the queue far longer than the (2 s) lease of a fresh reservation.
  app = await startTestApp({ env: { VIDEO_LEASE_SECONDS: '2' } });
});
afterAll(() => app?.close());

describe('quota reservations', () => {
  it('hold for as long as the video waits in the queue, past the lease', async () => {
    const { key } = await app.tenant({ limits: { concurrent_videos: 1, included_video_seconds: 1, overage_allowed: false } });
    const submit = () =>
      app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: dataUri(makeImage('png', '64x64')), duration_seconds: 1 } });
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
    const { QuotaService } = await import('../../src/limits/index.js');
    const quota = app.api.get(QuotaService);
    const { tenantId } = await app.tenant({ limits: { concurrent_videos: 1 } });
    // As an API that died between reserving and inserting the row leaves it: reserved, never held.
    const redis = (quota as unknown as { client: { redis: import('ioredis').Redis; prefix: string } }).client;
    const leases = `${redis.prefix}:q:leases:${tenantId}`;
    await redis.redis.zadd(leases, Date.now() + 1_000, 'vid_never_written');
    await redis.redis.hset(`${redis.prefix}:q:lease-info`, 'vid_never_written', `${tenantId}|k|2026-11|1`);
    expect((await quota.read({ tenantId, livemode: true })).active).toBe(1);
    await new Promise((r) => setTimeout(r, 1_200));
    expect((await quota.read({ tenantId, livemode: true })).active).toBe(0);
  });

  it('whose hold never reached Redis are held again by the sweep while the video lives', async () => {
    const { getRepositoryToken } = await import('@nestjs/typeorm');
    const { QuotaService } = await import('../../src/limits/index.js');
    const { RequeueStaleVideosJob } = await import('../../src/videos/requeue-stale-videos.job.js');
    const { Video } = await import('../../src/videos/video.entity.js');
    const { VideosQueue } = await import('../../src/videos/videos-queue.js');
    const { VideoTransitions } = await import('../../src/videos/video-transitions.service.js');
    const quota = app.api.get(QuotaService, { strict: false });
    // The worker's sweep, built from this api's own providers (the real database, queue and Redis).
    const sweep = new RequeueStaleVideosJob(
      app.api.get(getRepositoryToken(Video), { strict: false }),
      undefined as never,
      app.api.get(VideosQueue, { strict: false }),
      app.api.get(VideoTransitions, { strict: false }),
      quota,
    );
    const { tenantId, key } = await app.tenant({ limits: { concurrent_videos: 1 } });
    const submit = () =>
      app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: dataUri(makeImage('png', '64x64')), duration_seconds: 1 } });
    const first = await submit();
    expect(first.status).toBe(202);
    const { id } = (await first.json()) as { id: string };
    // As if the hold after the insert was lost: the reservation is back on a short lease.
    const redis = (quota as unknown as { client: { redis: import('ioredis').Redis; prefix: string } }).client;
    await redis.redis.zadd(`${redis.prefix}:q:leases:${tenantId}`, Date.now() + 500, id);
    await sweep.handle();
    await new Promise((r) => setTimeout(r, 800));
    expect((await quota.read({ tenantId, livemode: true })).active).toBe(1);
    // The slot is still taken: the next video waits for it.
    expect(await (await submit()).json()).toMatchObject({ status: 'queued', queue_position: 1 });
  });
});
