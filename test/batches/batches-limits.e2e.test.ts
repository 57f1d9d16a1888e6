import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';
import { StorageService } from '../../src/platform/storage/storage.service.js';

/**
 * What a batch owes its tenant's limits as they are when each item is handed over, not as they
 * were when the batch was created: hard spend caps (at creation and at hand-over), a revoked key,
 * a downgraded plan; and an input image shared by the batch's items outliving one deleted item.
 * The worker starts only after the batches are created and the limits changed, so every item is
 * handed over under the changed limits. Default prices: enterprise overage is 1 per second.
 */
let app: TestApp;
type Json = Record<string, any>;
const image = dataUri(makeImage('png', '64x64'));
const item = (custom_id: string, extra: Json = {}) => ({ custom_id, image, prompt: 'turntable', duration_seconds: 1, ...extra });
const post = (path: string, key: string, json: unknown) => app.request(path, { method: 'POST', key, json });

async function createBatch(key: string, items: Json[]): Promise<Json> {
  const res = await post('/v1/batches', key, { items });
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body)).toBe(202);
  return body;
}
const ended = (key: string, id: string) =>
  until(
    `batch ${id} ended`,
    async () => {
      const b = (await (await app.request(`/v1/batches/${id}`, { key })).json()) as Json;
      return b.status === 'completed' || b.status === 'failed' ? b : undefined;
    },
    60_000,
    100,
  );
const items = (batchId: string) =>
  app.sql<{ status: string; error_code: string | null }>(`select status, error_code from videos where batch_id = $1 order by batch_index`, [batchId]);
const liveSeconds = async (tenantId: string) =>
  (await app.sql<{ s: number }>(`select coalesce(sum(video_seconds), 0)::int as s from usage_records where tenant_id = $1 and livemode`, [tenantId]))[0]!.s;

const capped: Json = {};
const revoked: Json = {};
const downgraded: Json = {};

beforeAll(async () => {
  app = await startTestApp({ env: { BATCH_SCHEDULE_INTERVAL_MS: '50', VIDEO_MAX_ATTEMPTS: '1' } });

  // A batch created before its tenant set a 1-second hard cap.
  Object.assign(capped, await app.tenant({ limits: { included_video_seconds: 0, concurrent_videos: 4 } }));
  capped.batch = await createBatch(capped.key, [item('a'), item('b'), item('c')]);
  expect((await post('/v1/billing/alerts', capped.key, { metric: 'seconds', threshold: 1, hard_cap: true })).status).toBe(201);

  // A batch whose key is revoked before any item runs.
  Object.assign(revoked, await app.tenant());
  const minted = (await (await post('/v1/api-keys', revoked.key, { name: 'batch key' })).json()) as Json;
  revoked.batch = await createBatch(minted.secret, [item('r1'), item('r2')]);
  expect((await app.request(`/v1/api-keys/${minted.id}`, { method: 'DELETE', key: revoked.key })).status).toBe(200);

  // A batch of 2-second items whose tenant is moved to 1-second videos before they run.
  Object.assign(downgraded, await app.tenant({ limits: { max_duration_seconds: 5 } }));
  downgraded.batch = await createBatch(downgraded.key, [item('d1', { duration_seconds: 2 }), item('d2', { duration_seconds: 2 })]);
  const patched = await app.request(`/v1/admin/tenants/${downgraded.tenantId}`, {
    method: 'PATCH',
    key: app.operatorKey,
    json: { limit_overrides: { max_duration_seconds: 1 } },
  });
  expect(patched.status).toBe(200);

  await app.startWorker();
}, 120_000);
afterAll(() => app?.close());

describe('hard spend caps and batches', () => {
  it('refuses a batch whose projected seconds or cost would pass a hard cap, writing nothing', async () => {
    const { key, tenantId } = await app.tenant({ limits: { included_video_seconds: 0 } });
    expect((await post('/v1/billing/alerts', key, { metric: 'seconds', threshold: 1, hard_cap: true })).status).toBe(201);
    const single = await post('/v1/videos', key, { ...item('x'), custom_id: undefined });
    expect(single.status).toBe(202);
    // The single video holds the one second: three more would make four.
    const refused = await post('/v1/batches', key, { items: [item('a'), item('b'), item('c')] });
    const body = (await refused.json()) as Json;
    expect([refused.status, body.code]).toEqual([429, 'spend_cap_reached']);
    expect(body).toMatchObject({ limit: 1, used: 1, requested: 3 });
    expect((await app.sql('select count(*)::int as n from batches where tenant_id = $1', [tenantId]))[0]!.n).toBe(0);

    const amount = await app.tenant({ limits: { included_video_seconds: 0 } });
    expect((await post('/v1/billing/alerts', amount.key, { metric: 'amount', threshold: 2, hard_cap: true })).status).toBe(201);
    const dear = await post('/v1/batches', amount.key, { items: [item('a'), item('b'), item('c')] });
    expect([dear.status, ((await dear.json()) as Json).code]).toEqual([429, 'spend_cap_reached']);
    expect((await post('/v1/batches', amount.key, { items: [item('a'), item('b')] })).status).toBe(202);
  });

  it('fails items that would pass a cap set after the batch was created, as a single video is refused', async () => {
    const done = await ended(capped.key, capped.batch.id);
    expect(done.request_counts).toMatchObject({ total: 3, succeeded: 1, failed: 2 });
    expect((await items(capped.batch.id)).map((r) => r.error_code)).toEqual([null, 'spend_cap_reached', 'spend_cap_reached']);
    expect(await liveSeconds(capped.tenantId)).toBe(1);
  });

  it('counts handed-over items in the reserved spend a single video is checked against', async () => {
    const { key } = await app.tenant({ limits: { included_video_seconds: 0, concurrent_videos: 4 } });
    expect((await post('/v1/billing/alerts', key, { metric: 'amount', threshold: 2, hard_cap: true })).status).toBe(201);
    app.backend.configure({ delayMs: 3_000 });
    try {
      const batch = await createBatch(key, [item('a'), item('b')]);
      await until('both items handed over', async () => (await items(batch.id)).every((r) => r.status === 'running') || undefined, 15_000, 50);
      // 2 reserved by the batch + 1 would pass the cap of 2.
      const single = await post('/v1/videos', key, { ...item('x'), custom_id: undefined });
      expect([single.status, ((await single.json()) as Json).code]).toEqual([429, 'spend_cap_reached']);
      const usage = (await (await app.request('/v1/usage', { key })).json()) as Json;
      expect(usage.video_seconds.reserved).toBe(2);
    } finally {
      app.backend.configure({ delayMs: 0 });
    }
  });
});

describe('a batch under the key and plan as they are now', () => {
  it("fails a revoked key's waiting items with api_key_revoked instead of running them", async () => {
    const done = await ended(revoked.key, revoked.batch.id);
    expect(done).toMatchObject({ status: 'failed', request_counts: { total: 2, failed: 2 } });
    expect((await items(revoked.batch.id)).map((r) => r.error_code)).toEqual(['api_key_revoked', 'api_key_revoked']);
    expect(await liveSeconds(revoked.tenantId)).toBe(0);
  });

  it("applies a downgraded plan's limits to the items still waiting", async () => {
    await ended(downgraded.key, downgraded.batch.id);
    expect((await items(downgraded.batch.id)).map((r) => r.error_code)).toEqual(['duration_not_allowed', 'duration_not_allowed']);
    expect(await liveSeconds(downgraded.tenantId)).toBe(0);
  });

  it('follows a rolled key: rolling the batch key does not stop the batch', async () => {
    const { key } = await app.tenant();
    app.backend.configure({ delayMs: 300 });
    try {
      const minted = (await (await post('/v1/api-keys', key, { name: 'rolled' })).json()) as Json;
      const batch = await createBatch(minted.secret, [item('o1'), item('o2'), item('o3'), item('o4')]);
      expect((await post(`/v1/api-keys/${minted.id}/roll`, key, { grace_seconds: 0 })).status).toBe(201);
      const done = await ended(key, batch.id);
      expect(done.request_counts).toMatchObject({ total: 4, succeeded: 4 });
    } finally {
      app.backend.configure({ delayMs: 0 });
    }
  });
});

describe('an input image shared by batch items', () => {
  it('outlives the deletion of one item and goes with the last', async () => {
    const { key } = await app.tenant();
    const batch = await createBatch(key, [item('s1'), item('s2')]);
    expect((await ended(key, batch.id)).request_counts.succeeded).toBe(2);
    const rows = await app.sql<{ id: string; key: string }>(`select id, input->>'storage_key' as key from videos where batch_id = $1 order by batch_index`, [
      batch.id,
    ]);
    expect(rows[0]!.key).toBe(rows[1]!.key);
    const storage = app.api.get(StorageService);
    expect((await app.request(`/v1/videos/${rows[0]!.id}`, { method: 'DELETE', key })).status).toBe(200);
    expect((await storage.get(rows[1]!.key, 10_000_000)).length).toBeGreaterThan(0);
    expect((await app.request(`/v1/videos/${rows[1]!.id}`, { method: 'DELETE', key })).status).toBe(200);
    await expect(storage.get(rows[1]!.key, 10_000_000)).rejects.toThrow();
  });
});
