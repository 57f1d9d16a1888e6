import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { CreateBucketCommand, ListObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort } from '../../tools/dev/free-port.js';
import { startS3, type RunningS3 } from '../../tools/dev/s3-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { until } from '../support/until.js';

/**
 * Every file in examples/ run as a user runs it, against the real api and worker. The .mjs ones
 * import `leoma-api/client`, which resolves through package.json's exports to the SDK's build
 * (sdk/js/dist, what @leoma/sdk ships), so the SDK is built first.
 */
const run = promisify(execFile);
let app: TestApp;
let store: RunningS3;
let s3: S3Client;
const dir = mkdtempSync(join(tmpdir(), 'leoma-examples-'));
const image = join(dir, 'card.png');

beforeAll(async () => {
  execFileSync('npm', ['run', 'build', '--prefix', 'sdk/js']);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=128x72', '-frames:v', '1', image]);
  app = await startTestApp({
    worker: true,
    env: {
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RELAY_INTERVAL_MS: '50',
      DESTINATION_ENDPOINT_ALLOWLIST: '127.0.0.1',
      DESTINATION_RELAY_INTERVAL_MS: '100',
    },
  });
  // The customer's own bucket, for the catalogue example's delivery.
  store = await startS3({ dir: join(dir, 'customer-s3') });
  s3 = new S3Client({ region: 'us-east-1', endpoint: store.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  await s3.send(new CreateBucketCommand({ Bucket: 'catalogue' }));
});
afterAll(async () => {
  await app?.close();
  s3?.destroy();
  await store?.stop();
});

const envFor = (key: string) => ({ ...process.env, LEOMA_API_URL: app.url, LEOMA_API_KEY: key });

describe('examples/', () => {
  it('curl-video.sh makes and downloads a video', async () => {
    const { key } = await app.tenant();
    const out = join(dir, 'curl.mp4');
    const { stdout } = await run('bash', ['examples/curl-video.sh', image, out], { env: envFor(key) });
    expect(stdout.trim()).toBe(out);
    expect(statSync(out).size).toBeGreaterThan(1_000);
  }, 60_000);

  it('client-wait.mjs waits for a video with leoma-api/client', async () => {
    const { key } = await app.tenant();
    const { stdout, stderr } = await run(process.execPath, ['examples/client-wait.mjs', image], { env: envFor(key) });
    expect(JSON.parse(stdout)).toMatchObject({ status: 'succeeded', url: expect.stringMatching(/^http/) });
    expect(stderr).toMatch(/^vid_\w+ succeeded$/m);
  }, 60_000);

  it('webhook-receiver.mjs verifies real deliveries and refuses a forged one', async () => {
    const { key } = await app.tenant();
    const port = await freePort();
    const endpoint = (await (
      await app.request('/v1/webhook-endpoints', {
        method: 'POST',
        key,
        json: { url: `http://127.0.0.1:${port}/hooks`, enabled_events: ['video.queued', 'video.succeeded'] },
      })
    ).json()) as { secret: string };
    const receiver = spawn(process.execPath, ['examples/webhook-receiver.mjs'], {
      env: { ...process.env, PORT: String(port), LEOMA_WEBHOOK_SECRET: endpoint.secret, EXIT_AFTER: 'video.succeeded' },
    });
    let out = '';
    let err = '';
    receiver.stdout.on('data', (c: Buffer) => (out += c.toString()));
    receiver.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((r) => receiver.once('exit', r));
    while (!err.includes('listening')) await new Promise((r) => setTimeout(r, 50));
    const forged = await fetch(`http://127.0.0.1:${port}/hooks`, {
      method: 'POST',
      headers: { 'webhook-id': 'evt_x', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      body: '{}',
    });
    expect(forged.status).toBe(400);
    const video = (await (
      await app.request('/v1/videos', {
        method: 'POST',
        key,
        json: { prompt: 'hooked', duration_seconds: 1, image: `data:image/png;base64,${execFileSync('base64', ['-w0', image]).toString()}` },
      })
    ).json()) as { id: string };
    expect(await exited).toBe(0);
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: string });
    expect(events.map((e) => e.type).sort()).toEqual(['video.queued', 'video.succeeded']);
    expect(events.every((e) => e.object === video.id)).toBe(true);
  }, 60_000);

  it('csv-batch.mjs puts local images up through presigned URLs, submits the CSV, writes the manifest in input order, and delivers to a bucket', async () => {
    const { key, tenantId } = await app.tenant();
    const destination = (await (
      await app.request('/v1/destinations', {
        method: 'POST',
        key,
        json: { bucket: 'catalogue', endpoint: store.endpoint, access_key_id: 'S3RVER', secret_access_key: 'S3RVER', prefix: 'shop/' },
      })
    ).json()) as { id: string };
    const csv = join(dir, 'catalogue.csv');
    const dataUri = `data:image/png;base64,${readFileSync(image).toString('base64')}`;
    // Out of alphabetical order, a local image named twice (uploaded once) and a data URI.
    writeFileSync(
      csv,
      `custom_id,image,prompt,duration_seconds\nsku-c,card.png,push in,1\nsku-a,"${dataUri}","orbit, slowly",1\nsku-b,./card.png,pan left,1\n`,
    );
    const out = join(dir, 'catalogue.results.csv');
    const { stdout, stderr } = await run(process.execPath, ['examples/csv-batch.mjs', csv], { env: { ...envFor(key), LEOMA_DESTINATION: destination.id } });
    expect(stdout.trim()).toBe(out);
    expect(stderr).toMatch(/^completed .*"succeeded":3/m);
    expect(stderr).toMatch(/^manifest delivered: shop\/bat_\w+\.manifest\.jsonl$/m);
    // The local image named twice went up once (through a presigned URL, then completed and checked).
    const files = await app.sql<{ status: string; filename: string }>('select status, filename from files where tenant_id = $1', [tenantId]);
    expect(files).toEqual([{ status: 'ready', filename: 'card.png' }]);
    // Every video in the customer's bucket by its custom_id, and the manifest beside them.
    const listed = async () => ((await s3.send(new ListObjectsCommand({ Bucket: 'catalogue', Prefix: 'shop/' }))).Contents ?? []).map((o) => o.Key!);
    const keys = await until(
      'three videos in the bucket',
      async () => ((await listed()).filter((k) => k.endsWith('.mp4')).length === 3 ? listed() : null),
      30_000,
      200,
    );
    expect(keys.filter((k) => k.endsWith('.mp4')).sort()).toEqual(['shop/sku-a.mp4', 'shop/sku-b.mp4', 'shop/sku-c.mp4']);
    expect(keys.filter((k) => k.endsWith('.manifest.jsonl'))).toHaveLength(1);
    expect(stderr).not.toMatch(/polling/); // followed on the event stream
    const rows = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.custom_id)).toEqual(['sku-c', 'sku-a', 'sku-b']);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'succeeded', video_id: expect.stringMatching(/^vid_/), error_code: '' });
      const mp4 = Buffer.from(await (await fetch(row.content_url!, { headers: { Authorization: `Bearer ${key}` } })).arrayBuffer());
      expect(mp4.subarray(4, 8).toString('latin1')).toBe('ftyp');
    }
  }, 60_000);

  it('provision-enterprise.sh creates an invoice-billed tenant with a live and a test key', async () => {
    const sales = (await (
      await app.request('/v1/admin/operators', { method: 'POST', key: app.operatorKey, json: { name: 'Sam', email: 'sam@leoma.test', role: 'sales' } })
    ).json()) as { secret: string };
    const { stdout } = await run('bash', ['examples/provision-enterprise.sh', 'Acme Corp'], { env: envFor(sales.secret) });
    const made = JSON.parse(stdout) as { tenant: string; live_key: string; test_key: string };
    expect(made.live_key).toMatch(/^lk_live_/);
    expect(made.test_key).toMatch(/^lk_test_/);
    const tenant = (await (await app.request(`/v1/admin/tenants/${made.tenant}`, { key: app.operatorKey })).json()) as Record<string, any>;
    expect(tenant).toMatchObject({ name: 'Acme Corp', plan: 'enterprise', billing: { mode: 'invoice' } });
    expect((await app.request('/v1/me', { key: made.live_key })).status).toBe(200);
  }, 60_000);
});
