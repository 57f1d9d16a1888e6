import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'csv-parse/sync';
import yauzl from 'yauzl';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';

let app: TestApp;
let key: string;
let batchId: string;

type Json = Record<string, any>;
const CUSTOM_IDS = ['sku-1', 'SKU 2/blue', 'sku-3'];

beforeAll(async () => {
  app = await startTestApp({ worker: true, env: { BATCH_SCHEDULE_INTERVAL_MS: '50', WORKER_CONCURRENCY: '4' } });
  ({ key } = await app.tenant());
  const form = new FormData();
  form.set('file', new Blob([makeImage('png')], { type: 'image/png' }), 'p.png');
  const fileId = ((await (await app.request('/v1/files', { method: 'POST', key, body: form })).json()) as Json).id;
  const csv = ['custom_id,image,prompt,duration_seconds', ...CUSTOM_IDS.map((c) => `${c},${fileId},a product,1`)].join('\n');
  const batch = new FormData();
  batch.set('file', new Blob([csv], { type: 'text/csv' }), 'c.csv');
  const created = await app.request('/v1/batches', { method: 'POST', key, body: batch });
  expect(created.status).toBe(202);
  batchId = ((await created.json()) as Json).id;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const b = (await (await app.request(`/v1/batches/${batchId}`, { key })).json()) as Json;
    if (b.status === 'completed') break;
    if (Date.now() > deadline || b.status === 'failed') throw new Error(`batch ${b.status} ${JSON.stringify(b.request_counts)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 90_000);
afterAll(() => app?.close());

function unzip(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (e, s) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        }),
      );
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('files out', () => {
  it('a manifest written an hour ago still downloads: its links are the API’s, and the download is named by custom_id', async () => {
    // The manifest is fetched with the API's clock an hour back: a presigned link in it would have expired by now.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 3_600_000 });
    let text: string;
    try {
      text = await (await app.request(`/v1/batches/${batchId}/results?format=csv`, { key })).text();
    } finally {
      vi.useRealTimers();
    }
    const rows = parse(text, { columns: true }) as Json[];
    expect(rows.map((r) => r.custom_id)).toEqual(CUSTOM_IDS);
    for (const row of rows) {
      expect(row.content_url).toMatch(new RegExp(`^http://[^/]+/v1/videos/${row.video_id}/content$`));
      // Without the key the link gives nothing away.
      expect((await fetch(row.content_url, { redirect: 'manual' })).status).toBe(401);
      const redirect = await fetch(row.content_url, { redirect: 'manual', headers: { Authorization: `Bearer ${key}` } });
      expect(redirect.status).toBe(302);
      const download = await fetch(redirect.headers.get('location')!);
      expect(download.status).toBe(200);
      const named = row.custom_id.replace('/', '_');
      expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${named}.mp4"`);
      expect(
        Buffer.from(await download.arrayBuffer())
          .subarray(4, 8)
          .toString('latin1'),
      ).toBe('ftyp');
    }
  });

  it('on request, gives signed share links that work without a key until they expire, and not after or altered', async () => {
    const rows = parse(await (await app.request(`/v1/batches/${batchId}/results?format=csv&links=share&link_expires_in=3600`, { key })).text(), {
      columns: true,
    }) as Json[];
    for (const row of rows) {
      expect(row.content_url).toMatch(/^http:\/\/[^/]+\/v1\/shared\/[\w-]+\.[\w-]+$/);
      const redirect = await fetch(row.content_url, { redirect: 'manual' });
      expect(redirect.status).toBe(302);
      const download = await fetch(redirect.headers.get('location')!);
      expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${row.custom_id.replace('/', '_')}.mp4"`);
      expect(
        Buffer.from(await download.arrayBuffer())
          .subarray(4, 8)
          .toString('latin1'),
      ).toBe('ftyp');
    }
    const token = rows[0]!.content_url.split('/').at(-1)!;
    const [payload, signature] = token.split('.');
    // Another video's id in the same payload shape, with the old signature: refused.
    const forged = Buffer.from(Buffer.from(payload!, 'base64url').toString().replace(rows[0]!.video_id, rows[1]!.video_id)).toString('base64url');
    const altered = await app.request(`/v1/shared/${forged}.${signature}`, { redirect: 'manual' });
    expect([altered.status, ((await altered.json()) as Json).code]).toEqual([403, 'share_link_invalid']);

    // Links made two hours ago for one hour have expired.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 7_200_000 });
    let old: string;
    try {
      old = await (await app.request(`/v1/batches/${batchId}/results?links=share&link_expires_in=3600`, { key })).text();
    } finally {
      vi.useRealTimers();
    }
    const expired = await app.request(new URL(JSON.parse(old.split('\n')[0]!).content_url).pathname, { redirect: 'manual' });
    expect([expired.status, ((await expired.json()) as Json).code]).toEqual([410, 'share_link_expired']);
  });

  it('streams a ZIP of the outputs and posters named by custom_id', async () => {
    const res = await app.request(`/v1/batches/${batchId}/archive`, { key });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${batchId}.zip"`);
    const entries = await unzip(Buffer.from(await res.arrayBuffer()));
    expect([...entries.keys()]).toEqual(['sku-1.mp4', 'sku-1.jpg', 'SKU 2_blue.mp4', 'SKU 2_blue.jpg', 'sku-3.mp4', 'sku-3.jpg']);
    for (const [name, bytes] of entries) {
      if (name.endsWith('.mp4')) expect(bytes.subarray(4, 8).toString('latin1'), name).toBe('ftyp');
      else expect(bytes.subarray(0, 3), name).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    }
    // Another tenant's batch is not found.
    const other = await app.tenant();
    expect((await app.request(`/v1/batches/${batchId}/archive`, { key: other.key })).status).toBe(404);
  });
});
