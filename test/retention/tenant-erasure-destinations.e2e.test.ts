import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startS3, type RunningS3 } from '../../tools/dev/s3-server.js';
import { createVideo, startTestApp, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';

type Json = Record<string, any>;

/**
 * Issue 32: a tenant's erasure removes its destinations (the sealed credentials with them) and its
 * videos' delivery rows; another tenant's stay, and what was already copied to the customer's own
 * bucket is the customer's. A second s3rver plays the customers' store.
 */
const image = dataUri(makeImage('png'));
let app: TestApp;
let store: RunningS3;
let storeDir: string;
let s3: S3Client;

beforeAll(async () => {
  storeDir = await mkdtemp(join(tmpdir(), 'customer-s3-'));
  store = await startS3({ dir: storeDir });
  s3 = new S3Client({ region: 'us-east-1', endpoint: store.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  app = await startTestApp({ worker: true, env: { DESTINATION_ENDPOINT_ALLOWLIST: '127.0.0.1', DESTINATION_RELAY_INTERVAL_MS: '50' } });
});
afterAll(async () => {
  await app?.close();
  s3?.destroy();
  await store?.stop();
  await rm(storeDir, { recursive: true, force: true });
});

/** A tenant with a destination in its own bucket and one video delivered there. */
async function deliveredTenant(name: string) {
  const t = await app.tenant();
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  const res = await app.request('/v1/destinations', {
    method: 'POST',
    key: t.key,
    json: { bucket: name, endpoint: store.endpoint, access_key_id: 'S3RVER', secret_access_key: 'S3RVER' },
  });
  expect(res.status).toBe(201);
  const dst = ((await res.json()) as Json).id as string;
  const video = await createVideo(app, t.key, image, { destination: dst });
  await until(
    `${video} delivered`,
    async () => ((await (await app.request(`/v1/videos/${video}`, { key: t.key })).json()) as Json).delivery?.status === 'delivered',
    60_000,
    100,
  );
  return { ...t, dst, video };
}

const count = async (sql: string, tenantId: string) => (await app.sql<{ n: number }>(sql, [tenantId]))[0]!.n;

describe('tenant erasure and destinations', () => {
  it("removes the tenant's destinations and delivery rows, leaves another tenant's and the customer's own bucket", async () => {
    const e = await deliveredTenant('erased-shop');
    const other = await deliveredTenant('kept-shop');
    expect(await count('select count(*)::int as n from destinations where tenant_id = $1', e.tenantId)).toBe(1);
    expect(await count('select count(*)::int as n from video_deliveries where tenant_id = $1', e.tenantId)).toBe(1);

    const erased = await app.request(`/v1/admin/tenants/${e.tenantId}/erase`, { method: 'POST', key: app.operatorKey, json: { confirm: e.tenantId } });
    expect(erased.status).toBe(200);
    expect(await erased.json()).toMatchObject({ object: 'tenant_erasure', tenant_id: e.tenantId, has_more: false });

    expect(await count('select count(*)::int as n from destinations where tenant_id = $1', e.tenantId)).toBe(0);
    expect(await count('select count(*)::int as n from video_deliveries where tenant_id = $1', e.tenantId)).toBe(0);
    expect((await app.request(`/v1/destinations/${e.dst}`, { key: e.key })).status).toBe(404);
    const [entry] = await app.sql<{ after: Json }>("select after from audit_log where action = 'tenant.erased' and target_id = $1", [e.tenantId]);
    expect(entry!.after).toMatchObject({ destinations_deleted: 1, video_deliveries_deleted: 1 });

    // Another tenant's destination and deliveries are untouched, and still usable.
    expect(await count('select count(*)::int as n from destinations where tenant_id = $1', other.tenantId)).toBe(1);
    expect(await count('select count(*)::int as n from video_deliveries where tenant_id = $1', other.tenantId)).toBe(1);
    expect(((await (await app.request(`/v1/destinations/${other.dst}/test`, { method: 'POST', key: other.key })).json()) as Json).result).toBe('ok');
    // The copy already in the erased tenant's own bucket is its own: erasure does not reach into it.
    expect(((await s3.send(new ListObjectsV2Command({ Bucket: 'erased-shop' }))).Contents ?? []).map((o) => o.Key)).toContain(`${e.video}.mp4`);

    // A second call finds nothing left.
    const again = await app.request(`/v1/admin/tenants/${e.tenantId}/erase`, { method: 'POST', key: app.operatorKey, json: { confirm: e.tenantId } });
    expect(await again.json()).toMatchObject({ videos_deleted: 0, files_deleted: 0, has_more: false });
  });
});
