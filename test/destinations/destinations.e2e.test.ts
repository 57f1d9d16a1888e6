import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { CreateBucketCommand, DeleteBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { setLogDestination } from '../../src/platform/logging/log-destination.js';
import { startS3, type RunningS3 } from '../../tools/dev/s3-server.js';
import { createVideo, startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';

/**
 * Issue 32 item 4, delivery to the customer's own bucket: a second s3rver (its own directory and
 * port) plays the customer's store. Every log line of the api and the in-process worker is kept,
 * and every response body, to show a destination's secret never leaves the server.
 */
const logLines: string[] = [];
const bodies: string[] = [];
const image = dataUri(makeImage('png'));
let app: TestApp;
let store: RunningS3;
let storeDir: string;
let s3: S3Client;

beforeAll(async () => {
  setLogDestination(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    }),
  );
  storeDir = await mkdtemp(join(tmpdir(), 'customer-s3-'));
  store = await startS3({ dir: storeDir });
  s3 = new S3Client({ region: 'us-east-1', endpoint: store.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  app = await startTestApp({
    worker: true,
    logger: ['error', 'warn', 'log'],
    env: {
      DESTINATION_ENDPOINT_ALLOWLIST: '127.0.0.1',
      DESTINATION_RETRY_BASE_MS: '150',
      DESTINATION_RETRY_MAX_DELAY_MS: '1000',
      DESTINATION_MAX_ATTEMPTS: '6',
      DESTINATION_RELAY_INTERVAL_MS: '50',
      DESTINATION_TIMEOUT_MS: '5000',
    },
  });
});
afterAll(async () => {
  setLogDestination(undefined);
  await app?.close();
  s3?.destroy();
  await store?.stop();
  await rm(storeDir, { recursive: true, force: true });
});

/** A request whose response body is kept for the secret check. */
async function call(path: string, init: Parameters<TestApp['request']>[1] = {}) {
  const res = await app.request(path, init);
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

async function bucket(name: string): Promise<string> {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

const keysIn = async (name: string) => ((await s3.send(new ListObjectsV2Command({ Bucket: name }))).Contents ?? []).map((o) => o.Key!).sort();

async function sha256Of(name: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: name, Key: key }));
  return createHash('sha256')
    .update(await out.Body!.transformToByteArray())
    .digest('hex');
}

const destinationBody = (name: string, extra: Record<string, unknown> = {}) => ({
  bucket: name,
  endpoint: store.endpoint,
  access_key_id: 'S3RVER',
  secret_access_key: 'S3RVER',
  ...extra,
});

async function destination(key: string, name: string, extra: Record<string, unknown> = {}) {
  const res = await call('/v1/destinations', { method: 'POST', key, json: destinationBody(name, extra) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function deliveryOf(key: string, id: string, statuses: string[], timeoutMs = 30_000): Promise<Record<string, any>> {
  return until(
    `delivery of ${id} ${statuses.join('|')}`,
    async () => {
      const v = (await call(`/v1/videos/${id}`, { key })).body;
      return statuses.includes(v.delivery?.status) ? v : null;
    },
    timeoutMs,
    100,
  );
}

describe('destinations: the customer registers its own bucket', () => {
  it('is checked with a test write (left behind nothing), shown without its secret, and refused with wrong credentials', async () => {
    const { key } = await app.tenant();
    const name = await bucket('acme-registered');
    const created = await destination(key, name, { prefix: 'leoma/', description: 'storefront' });
    expect(created).toMatchObject({
      object: 'destination',
      bucket: name,
      endpoint: store.endpoint,
      force_path_style: true,
      prefix: 'leoma/',
      access_key_id: 'S3RVER',
    });
    expect(created.id).toMatch(/^dst_/);
    expect(Object.keys(created)).not.toContain('secret_access_key');
    expect(await keysIn(name)).toEqual([]);
    const [row] = await app.sql('select secret_enc from destinations where id = $1', [created.id]);
    expect(row.secret_enc).toMatch(/^v1\./);
    expect(row.secret_enc).not.toContain('S3RVER');
    expect((await call(`/v1/destinations/${created.id}/test`, { method: 'POST', key })).body).toEqual({
      object: 'destination_test',
      destination_id: created.id,
      result: 'ok',
    });

    // s3rver checks the access key id (not the signature): a key it does not know is the wrong credentials here.
    const wrong = `wrong-${randomBytes(12).toString('hex')}`;
    const denied = await call('/v1/destinations', {
      method: 'POST',
      key,
      json: destinationBody(name, { access_key_id: 'AKIAWRONGKEY', secret_access_key: wrong }),
    });
    expect(denied.status).toBe(422);
    expect(denied.body.code).toBe('destination_denied');
    const missing = await call('/v1/destinations', { method: 'POST', key, json: destinationBody('no-such-bucket') });
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('destination_unreachable');
    expect((await call('/v1/destinations', { key })).body.data.map((d: { id: string }) => d.id)).toEqual([created.id]);
    const everything = [...bodies, ...logLines].join('\n');
    expect(everything).not.toContain(wrong);
    const audit = await app.sql(`select * from audit_log where target_id = $1`, [created.id]);
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toMatch(/secret/i);
  });

  it('refuses private endpoints that are not allowlisted, plain http, and a path', async () => {
    const { key } = await app.tenant();
    for (const [endpoint, code] of [
      ['https://10.1.2.3:9000', 'destination_endpoint_forbidden'],
      ['https://localhost:9000', 'destination_endpoint_forbidden'],
      ['https://169.254.169.254', 'destination_endpoint_forbidden'],
      ['http://s3.example.com', 'destination_endpoint_invalid'],
      ['https://user:pw@s3.example.com', 'destination_endpoint_invalid'],
      [`${store.endpoint}/bucket`, 'destination_endpoint_invalid'],
    ]) {
      const res = await call('/v1/destinations', { method: 'POST', key, json: destinationBody('acme', { endpoint }) });
      expect([endpoint, res.status, res.body.code]).toEqual([endpoint, 422, code]);
    }
  });

  it("keeps one tenant's destinations (and mode's) from another: each a 404", async () => {
    const a = await app.tenant();
    const b = await app.tenant();
    const test = await app.tenant({ mode: 'test' });
    const own = await destination(a.key, await bucket('acme-scoped'));
    expect((await call(`/v1/destinations/${own.id}`, { key: b.key })).status).toBe(404);
    expect((await call(`/v1/destinations/${own.id}/test`, { method: 'POST', key: b.key })).status).toBe(404);
    expect((await call(`/v1/destinations/${own.id}`, { method: 'DELETE', key: b.key })).status).toBe(404);
    const named = await call('/v1/videos', { method: 'POST', key: b.key, json: { image, prompt: 'a mug', duration_seconds: 1, destination: own.id } });
    expect([named.status, named.body.code]).toEqual([404, 'resource_not_found']);
    const otherMode = await call('/v1/videos', { method: 'POST', key: test.key, json: { image, prompt: 'a mug', duration_seconds: 1, destination: own.id } });
    expect(otherMode.status).toBe(404);
    expect((await call(`/v1/destinations`, { key: b.key })).body.data).toEqual([]);
  });

  it('refuses key templates that climb out, name unknown placeholders, or {custom_id} on a video of its own', async () => {
    const { key } = await app.tenant();
    const dst = await destination(key, await bucket('acme-templates'));
    for (const template of ['../{video_id}.mp4', '/abs/{video_id}.mp4', 'a/./b.mp4', '{sku}.mp4', 'a\\b.mp4', 'a//b.mp4', '{custom_id}.mp4', 'dir/']) {
      const res = await call('/v1/videos', {
        method: 'POST',
        key,
        json: { image, prompt: 'a mug', duration_seconds: 1, destination: dst.id, destination_key: template },
      });
      expect([template, res.status, res.body.code]).toEqual([template, 422, 'destination_key_invalid']);
    }
    const alone = await call('/v1/videos', { method: 'POST', key, json: { image, prompt: 'a mug', duration_seconds: 1, destination_key: '{video_id}.mp4' } });
    expect([alone.status, alone.body.code]).toEqual([422, 'destination_key_invalid']);
  });
});

describe('delivery of a succeeded video', () => {
  it('copies the video and its stills under the key, byte for byte, with a video.delivered event', async () => {
    const { key } = await app.tenant();
    const name = await bucket('acme-delivered');
    const dst = await destination(key, name, { prefix: 'shop/' });
    const id = await createVideo(app, key, image, { destination: dst.id, destination_key: 'videos/{video_id}.mp4' });
    const queued = (await call(`/v1/videos/${id}`, { key })).body;
    expect(queued.delivery).toEqual({ destination: dst.id, status: 'pending', key: null, attempts: 0, last_error: null, delivered_at: null });
    const done = await deliveryOf(key, id, ['delivered', 'failed']);
    expect(done.delivery).toMatchObject({ destination: dst.id, status: 'delivered', key: `shop/videos/${id}.mp4`, attempts: 1, last_error: null });
    const stored = await keysIn(name);
    expect(stored).toContain(`shop/videos/${id}.mp4`);
    expect(stored.every((k) => k.startsWith(`shop/videos/${id}.`))).toBe(true);
    expect(await sha256Of(name, `shop/videos/${id}.mp4`)).toBe((await app.sql('select output from videos where id = $1', [id]))[0].output.sha256);
    const events = (await call(`/v1/events?object_id=${id}`, { key })).body.data.map((e: { type: string }) => e.type);
    expect(events).toContain('video.delivered');
  });

  it('retries while the store is down and delivers every file once it is back', async () => {
    const { key } = await app.tenant();
    const name = await bucket('acme-outage');
    const dst = await destination(key, name);
    await store.stop();
    try {
      const id = await createVideo(app, key, image, { destination: dst.id });
      await waitForStatus(app, key, id, ['succeeded']);
      const failing = await until(
        'a failed attempt',
        async () => {
          const v = (await call(`/v1/videos/${id}`, { key })).body;
          return v.delivery.attempts >= 2 && v.delivery.last_error ? v : null;
        },
        30_000,
        20,
      );
      expect(failing.delivery.status).toBe('pending');
      expect(failing.delivery.last_error).toMatch(/could not be written|ECONNREFUSED/);
      store = await startS3({ dir: storeDir, port: store.port });
      const done = await deliveryOf(key, id, ['delivered', 'failed']);
      expect(done.delivery.status).toBe('delivered');
      expect(done.delivery.attempts).toBeGreaterThanOrEqual(2);
      expect(await keysIn(name)).toContain(`${id}.mp4`);
    } finally {
      if (
        !(await fetch(store.endpoint).then(
          () => true,
          () => false,
        ))
      )
        store = await startS3({ dir: storeDir, port: store.port });
    }
  });

  it('fails after its attempts with video.delivery_failed, and a redeliver copies it once the bucket is back', async () => {
    const { key } = await app.tenant();
    const other = await app.tenant();
    const name = await bucket('acme-vanishing');
    const dst = await destination(key, name);
    await s3.send(new DeleteBucketCommand({ Bucket: name }));
    const id = await createVideo(app, key, image, { destination: dst.id });
    const failed = await deliveryOf(key, id, ['failed', 'delivered']);
    expect(failed.delivery).toMatchObject({ status: 'failed', attempts: 6 });
    expect(failed.delivery.last_error).toMatch(/NoSuchBucket/);
    expect((await call(`/v1/events?object_id=${id}`, { key })).body.data.map((e: { type: string }) => e.type)).toContain('video.delivery_failed');
    expect((await call(`/v1/videos/${id}/redeliver`, { method: 'POST', key: other.key })).status).toBe(404);
    await bucket(name);
    const again = await call(`/v1/videos/${id}/redeliver`, { method: 'POST', key });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: 'pending', attempts: 0 });
    const done = await deliveryOf(key, id, ['delivered']);
    expect(done.delivery.attempts).toBe(1);
    expect(await keysIn(name)).toContain(`${id}.mp4`);
    const plain = await createVideo(app, key, image);
    expect((await call(`/v1/videos/${plain}/redeliver`, { method: 'POST', key })).body.code).toBe('delivery_not_found');
  });

  it("names a batch's items by custom_id (made safe) under the batch's template", async () => {
    const { key } = await app.tenant();
    const name = await bucket('acme-catalogue');
    const dst = await destination(key, name, { prefix: 'catalogue/' });
    const refused = await call('/v1/batches', {
      method: 'POST',
      key,
      json: { items: [{ custom_id: 'SKU-1', image, prompt: 'a mug', duration_seconds: 1 }], destination: dst.id, destination_key: '../{custom_id}.mp4' },
    });
    expect([refused.status, refused.body.code]).toEqual([422, 'destination_key_invalid']);
    const created = await call('/v1/batches', {
      method: 'POST',
      key,
      json: {
        items: [
          { custom_id: 'SKU-1', image, prompt: 'a mug', duration_seconds: 1 },
          { custom_id: '../escape', image, prompt: 'a mug', duration_seconds: 1 },
        ],
        destination: dst.id,
        destination_key: '{custom_id}.mp4',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    expect(created.body).toMatchObject({ destination: dst.id, destination_key: '{custom_id}.mp4' });
    const items = await until(
      'both items delivered',
      async () => {
        const list = (await call(`/v1/videos?batch_id=${created.body.id}`, { key })).body.data as Record<string, any>[];
        return list.length === 2 && list.every((v) => v.delivery?.status === 'delivered') ? list : null;
      },
      60_000,
      200,
    );
    expect(items.map((v) => v.delivery.key).sort()).toEqual(['catalogue/.._escape.mp4', 'catalogue/SKU-1.mp4']);
    expect((await keysIn(name)).filter((k) => k.endsWith('.mp4'))).toEqual(['catalogue/.._escape.mp4', 'catalogue/SKU-1.mp4']);
  });

  it('never shows or logs a secret', () => {
    const everything = [...bodies, ...logLines].join('\n');
    expect(everything).not.toMatch(/secret_access_key"\s*:\s*"/);
    expect(everything).not.toMatch(/secret_enc|v1\.[A-Za-z0-9+/=]{12,}\.[A-Za-z0-9+/=]{12,}\./);
  });
});
