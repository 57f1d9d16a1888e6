import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startS3, type RunningS3 } from '../../tools/dev/s3-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';
import { appEnv } from '../../src/platform/config/app.env.js';

type Json = Record<string, any>;

/**
 * Issue 32: when a batch with a destination ends, its manifest is written there (through the
 * batch row's outbox state, retried like a video's files) and its status shows on the batch. A
 * second s3rver plays the customer's store.
 */
const PUBLIC = 'https://api.leoma.test';
const image = dataUri(makeImage('png'));
let app: TestApp;
let store: RunningS3;
let storeDir: string;
let s3: S3Client;

beforeAll(async () => {
  storeDir = await mkdtemp(join(tmpdir(), 'customer-s3-'));
  store = await startS3({ dir: storeDir });
  s3 = new S3Client({ region: 'us-east-1', endpoint: store.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  app = await startTestApp({
    worker: true,
    env: {
      PUBLIC_BASE_URL: PUBLIC,
      BATCH_SCHEDULE_INTERVAL_MS: '50',
      WORKER_CONCURRENCY: '4',
      DESTINATION_ENDPOINT_ALLOWLIST: '127.0.0.1',
      DESTINATION_RETRY_BASE_MS: '150',
      DESTINATION_RETRY_MAX_DELAY_MS: '600',
      // Enough attempts to outlast the outage below: nothing gives up while the bucket is gone.
      DESTINATION_MAX_ATTEMPTS: '60',
      DESTINATION_RELAY_INTERVAL_MS: '50',
      DESTINATION_TIMEOUT_MS: '5000',
    },
  });
});
afterAll(async () => {
  await app?.close();
  s3?.destroy();
  await store?.stop();
  await rm(storeDir, { recursive: true, force: true });
});

const keysIn = async (name: string) => ((await s3.send(new ListObjectsV2Command({ Bucket: name }))).Contents ?? []).map((o) => o.Key!).sort();
const getBatch = async (key: string, id: string) => (await (await app.request(`/v1/batches/${id}`, { key })).json()) as Json;

async function destination(key: string, name: string, prefix: string): Promise<string> {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  const res = await app.request('/v1/destinations', {
    method: 'POST',
    key,
    json: { bucket: name, endpoint: store.endpoint, access_key_id: 'S3RVER', secret_access_key: 'S3RVER', prefix },
  });
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.id;
}

async function batch(key: string, dst: string, customIds: string[]): Promise<Json> {
  const items = customIds.map((custom_id) => ({ custom_id, image, prompt: 'a mug on a table', duration_seconds: 1 }));
  const res = await app.request('/v1/batches', { method: 'POST', key, json: { items, destination: dst, destination_key: 'catalogue/{custom_id}.mp4' } });
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body)).toBe(202);
  return body;
}

const eventsOf = async (key: string, id: string) => ((await (await app.request(`/v1/events?object_id=${id}`, { key })).json()) as Json).data as Json[];

const manifestSettled = (key: string, id: string) =>
  until(
    `the manifest of ${id} settled`,
    async () => {
      const b = await getBatch(key, id);
      return ['delivered', 'failed'].includes(b.manifest_delivery?.status) && b;
    },
    60_000,
    100,
  );

async function readManifest(name: string, objectKey: string): Promise<Json[]> {
  const out = await s3.send(new GetObjectCommand({ Bucket: name, Key: objectKey }));
  expect(out.ContentType).toBe('application/jsonl');
  return (await out.Body!.transformToString())
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Json);
}

describe("a batch's manifest in its destination", () => {
  it('is written when the batch ends, beside its files, with the API’s never-expiring links, and shown on the batch', async () => {
    const { key } = await app.tenant();
    const dst = await destination(key, 'acme-manifest', 'shop/');
    const created = await batch(key, dst, ['SKU-1', 'SKU-2']);
    expect(created.manifest_delivery).toEqual({ destination: dst, status: 'pending', key: null, attempts: 0, last_error: null, delivered_at: null });
    const done = await manifestSettled(key, created.id);
    const manifestKey = `shop/catalogue/${created.id}.manifest.jsonl`;
    expect(done.status).toBe('completed');
    expect(done.manifest_delivery).toMatchObject({ destination: dst, status: 'delivered', key: manifestKey, attempts: 1, last_error: null });
    const rows = await readManifest('acme-manifest', manifestKey);
    expect(rows.map((r) => [r.custom_id, r.status])).toEqual([
      ['SKU-1', 'succeeded'],
      ['SKU-2', 'succeeded'],
    ]);
    for (const row of rows) {
      expect(row.content_url).toBe(`${PUBLIC}/v1/videos/${row.video_id}/content`);
      // The link is the API's: with the key it redirects to a fresh presigned URL.
      const res = await app.request(new URL(row.content_url).pathname, { key, redirect: 'manual' });
      expect(res.status).toBe(302);
      expect((await fetch(res.headers.get('location')!)).status).toBe(200);
    }
    // The same rows as the results endpoint gives (which uses the same links).
    const results = (await (await app.request(`/v1/batches/${created.id}/results`, { key })).text()).split('\n').filter(Boolean);
    expect(results.map((l) => JSON.parse(l).video_id)).toEqual(rows.map((r) => r.video_id));
    // The outcome is an event too, through the outbox, with the same view as the batch shows.
    const event = await until(
      'batch.manifest_delivered',
      async () => (await eventsOf(key, created.id)).find((e) => e.type === 'batch.manifest_delivered'),
      10_000,
      100,
    );
    expect(event.data).toMatchObject({ id: created.id, object: 'batch', status: 'completed', manifest_delivery: done.manifest_delivery });
    expect((await eventsOf(key, created.id)).filter((e) => e.type.startsWith('batch.manifest_'))).toHaveLength(1);
  });

  it('without PUBLIC_BASE_URL, has absolute links at the origin the batch was created through', async () => {
    delete process.env.PUBLIC_BASE_URL;
    appEnv.reload();
    try {
      const { key } = await app.tenant();
      const dst = await destination(key, 'acme-manifest-origin', '');
      const created = await batch(key, dst, ['SKU-9']);
      const done = await manifestSettled(key, created.id);
      expect(done.manifest_delivery.status).toBe('delivered');
      const [row] = await readManifest('acme-manifest-origin', done.manifest_delivery.key);
      expect(row!.content_url).toBe(`${app.url}/v1/videos/${row!.video_id}/content`);
      const res = await fetch(row!.content_url, { headers: { authorization: `Bearer ${key}` }, redirect: 'manual' });
      expect(res.status).toBe(302);
    } finally {
      process.env.PUBLIC_BASE_URL = PUBLIC;
      appEnv.reload();
    }
  });

  it('fails at once when its destination was deleted, with batch.manifest_delivery_failed', async () => {
    const { key } = await app.tenant();
    const dst = await destination(key, 'acme-manifest-deleted', '');
    const created = await batch(key, dst, ['GONE-1']);
    expect((await app.request(`/v1/destinations/${dst}`, { method: 'DELETE', key })).status).toBe(200);
    const done = await manifestSettled(key, created.id);
    expect(done.manifest_delivery).toMatchObject({ status: 'failed', attempts: 1, delivered_at: null });
    expect(done.manifest_delivery.last_error).toMatch(/deleted/);
    const event = await until(
      'batch.manifest_delivery_failed',
      async () => (await eventsOf(key, created.id)).find((e) => e.type === 'batch.manifest_delivery_failed'),
      10_000,
      100,
    );
    expect(event.data).toMatchObject({ id: created.id, object: 'batch', manifest_delivery: done.manifest_delivery });
    expect((await eventsOf(key, created.id)).some((e) => e.type === 'batch.manifest_delivered')).toBe(false);
  });

  it('is retried while the store refuses writes, then written once when it recovers', async () => {
    const { key } = await app.tenant();
    const name = 'acme-manifest-outage';
    const dst = await destination(key, name, '');
    // The bucket disappears after the destination's test write: every write is refused (NoSuchBucket) until it is back.
    await s3.send(new DeleteBucketCommand({ Bucket: name }));
    const created = await batch(key, dst, ['A', 'B']);
    const failing = await until(
      'the manifest refused twice',
      async () => {
        const b = await getBatch(key, created.id);
        return b.manifest_delivery.attempts >= 2 && b.manifest_delivery.last_error ? b : null;
      },
      60_000,
      50,
    );
    expect(failing.status).toBe('completed');
    expect(failing.manifest_delivery.status).toBe('pending');
    expect(failing.manifest_delivery.last_error).toMatch(/NoSuchBucket/);
    expect(failing.manifest_delivery.delivered_at).toBeNull();

    await s3.send(new CreateBucketCommand({ Bucket: name }));
    const done = await manifestSettled(key, created.id);
    expect(done.manifest_delivery.status).toBe('delivered');
    // A claim counts its attempt before it writes, so the refused attempt(s) seen above plus the one
    // that landed: at least 2 (3 only if a third claim began before the bucket came back).
    const attempts = done.manifest_delivery.attempts;
    expect(attempts).toBeGreaterThanOrEqual(2);
    const manifestKey = `catalogue/${created.id}.manifest.jsonl`;
    expect(done.manifest_delivery.key).toBe(manifestKey);
    expect((await readManifest(name, manifestKey)).map((r) => r.custom_id)).toEqual(['A', 'B']);
    const written = (await s3.send(new HeadObjectCommand({ Bucket: name, Key: manifestKey }))).LastModified!.getTime();

    // Written once: the item files arrive too, and the relay leaves the delivered manifest alone.
    await until(
      'both items delivered',
      async () => {
        const list = ((await (await app.request(`/v1/videos?batch_id=${created.id}`, { key })).json()) as Json).data as Json[];
        return list.every((v) => v.delivery?.status === 'delivered');
      },
      60_000,
      100,
    );
    await new Promise((r) => setTimeout(r, 1_500));
    const after = await getBatch(key, created.id);
    expect(after.manifest_delivery).toEqual(done.manifest_delivery);
    expect((await s3.send(new HeadObjectCommand({ Bucket: name, Key: manifestKey }))).LastModified!.getTime()).toBe(written);
    expect((await keysIn(name)).filter((k) => k.endsWith('.manifest.jsonl'))).toEqual([manifestKey]);
    // The refused attempts were retries, not outcomes: one event, for the write that landed.
    expect((await eventsOf(key, created.id)).filter((e) => e.type.startsWith('batch.manifest_')).map((e) => e.type)).toEqual(['batch.manifest_delivered']);
  });

  it('a batch without a destination has none', async () => {
    const { key } = await app.tenant();
    const res = await app.request('/v1/batches', { method: 'POST', key, json: { items: [{ custom_id: 'x', image, prompt: 'p', duration_seconds: 1 }] } });
    expect(((await res.json()) as Json).manifest_delivery).toBeNull();
  });
});
