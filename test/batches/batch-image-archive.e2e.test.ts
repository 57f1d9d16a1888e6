import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipFile } from 'yazl';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';

// A catalogue's photos as one ZIP, named by the CSV's rows. IMAGE_ARCHIVE_TEST_ROWS scales the run (CI: a handful).
const ROWS = Number(process.env.IMAGE_ARCHIVE_TEST_ROWS ?? 4);

let app: TestApp;
let key: string;
let tenantId: string;
type Json = Record<string, any>;

beforeAll(async () => {
  app = await startTestApp({ worker: true, env: { BATCH_SCHEDULE_INTERVAL_MS: '50', WORKER_CONCURRENCY: '4', ARCHIVE_MAX_ENTRIES: '1000' } });
  ({ key, tenantId } = await app.tenant());
});
afterAll(() => app?.close());

function zip(entries: [string, Buffer][]): Promise<Buffer> {
  const z = new ZipFile();
  for (const [name, bytes] of entries) name.endsWith('/') ? z.addEmptyDirectory(name) : z.addBuffer(bytes, name);
  z.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
  });
}

const upload = (bytes: Buffer, name = 'photos.zip') => {
  const form = new FormData();
  form.set('purpose', 'image_archive');
  form.set('file', new Blob([bytes], { type: 'application/zip' }), name);
  return app.request('/v1/files', { method: 'POST', key, body: form });
};

/** Every occurrence of `from` (the local header's and the central directory's copy of a name) replaced by `to`, of the same length. */
function rename(buf: Buffer, from: string, to: string): Buffer {
  const out = Buffer.from(buf);
  for (let at = out.indexOf(from); at !== -1; at = out.indexOf(from, at + 1)) out.write(to, at, 'latin1');
  return out;
}

/** The first member's declared expanded size, in its local header and its central directory entry. */
function declareSize(buf: Buffer, bytes: number): Buffer {
  const out = Buffer.from(buf);
  out.writeUInt32LE(bytes, 22);
  out.writeUInt32LE(bytes, out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
  return out;
}

async function waitForBatch(id: string): Promise<Json> {
  const deadline = Date.now() + 60_000 + ROWS * 1_000;
  for (;;) {
    const b = (await (await app.request(`/v1/batches/${id}`, { key })).json()) as Json;
    if (['completed', 'failed'].includes(b.status)) return b;
    if (Date.now() > deadline) throw new Error(`batch ${id} still ${b.status} ${JSON.stringify(b.request_counts)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a batch whose rows name images inside a ZIP', () => {
  it(
    `runs a ${ROWS}-row CSV against an uploaded archive; names it does not hold, and members that are not images, are rejected rows`,
    async () => {
      const png = makeImage('png');
      const jpeg = makeImage('jpeg', '640x480');
      const members: [string, Buffer][] = Array.from({ length: ROWS }, (_, i) => [`photos/sku-${i}.${i % 2 ? 'jpg' : 'png'}`, i % 2 ? jpeg : png]);
      const archive = await upload(await zip([...members, ['photos/', Buffer.alloc(0)], ['notes.txt', Buffer.from('not an image')]]));
      const file = (await archive.json()) as Json;
      expect(archive.status, JSON.stringify(file)).toBe(201);
      expect(file).toMatchObject({ purpose: 'image_archive', content_type: 'application/zip', width: null });

      const csv = [
        'custom_id,image,prompt,duration_seconds',
        ...members.map(([name], i) => `sku-${i},${name},a product,1`),
        'ghost,photos/missing.png,x,1',
        'notes,notes.txt,x,1',
      ];
      const form = new FormData();
      form.set('file', new Blob([csv.join('\n')], { type: 'text/csv' }), 'catalogue.csv');
      form.set('images_file_id', file.id);
      form.set('on_invalid', 'skip');
      const res = await app.request('/v1/batches', { method: 'POST', key, body: form });
      const batch = (await res.json()) as Json;
      expect(res.status, JSON.stringify(batch).slice(0, 1000)).toBe(202);
      expect(batch).toMatchObject({ request_counts: { total: ROWS }, rejected_count: 2, input: { images_file_id: file.id } });
      expect(batch.rejected_rows.map((r: Json) => [r.custom_id, r.errors[0].code])).toEqual([
        ['ghost', 'archive_member_not_found'],
        ['notes', 'image_unsupported_type'],
      ]);
      const inputs = await app.sql<{ custom_id: string; input: Json }>('select custom_id, input from videos where batch_id = $1 order by batch_index', [
        batch.id,
      ]);
      expect(inputs[1]!.input).toMatchObject({ width: 640, height: 480, content_type: 'image/jpeg' });
      const done = await waitForBatch(batch.id);
      expect(done.request_counts).toMatchObject({ succeeded: ROWS, failed: 0 });

      // An archive id of another kind is refused for the whole batch.
      const wrong = new FormData();
      wrong.set('file', new Blob([csv.slice(0, 2).join('\n')], { type: 'text/csv' }), 'c.csv');
      wrong.set('images_file_id', 'file_00000000000000000000000000');
      const refused = await app.request('/v1/batches', { method: 'POST', key, body: wrong });
      expect([refused.status, ((await refused.json()) as Json).code]).toEqual([404, 'file_not_found']);
    },
    120_000 + ROWS * 1_000,
  );

  it('refuses every hostile archive at upload with a code that says why, and keeps none of them', async () => {
    const png = makeImage('png');
    const files = async () => (await app.sql('select count(*)::int as n from files where tenant_id = $1', [tenantId]))[0]!.n as number;
    const before = await files();
    const refused = async (bytes: Buffer, code: string) => {
      const res = await upload(bytes);
      const body = (await res.json()) as Json;
      expect([res.status, body.code], JSON.stringify(body)).toEqual([422, code]);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      return body;
    };
    // Names that climb out of the archive or are absolute (yazl will not write them: the names are patched in).
    expect((await refused(rename(await zip([['xx/evil.png', png]]), 'xx/evil', '../evil'), 'archive_entry_name_invalid')).name).toBe('../evil.png');
    await refused(rename(await zip([['xetc/passwd.png', png]]), 'xetc/', '/etc/'), 'archive_entry_name_invalid');
    await refused(rename(await zip([['a/b.png', png]]), 'a/b', 'a\\b'), 'archive_entry_name_invalid');
    await refused(
      await zip([
        ['same.png', png],
        ['same.png', png],
      ]),
      'archive_duplicate_name',
    );
    // A central directory that says it lists 60,000 members: refused from the count, before any member is read.
    const many = await zip([['one.png', png]]);
    const eocd = many.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    many.writeUInt16LE(60_000, eocd + 8);
    many.writeUInt16LE(60_000, eocd + 10);
    await refused(many, 'archive_too_many_entries');
    // A member that says it expands to 1 GB, and one that says 100 bytes but inflates to 20 MB of zeros (a zip bomb).
    await refused(declareSize(await zip([['big.png', png]]), 1024 ** 3), 'archive_entry_too_large');
    await refused(declareSize(await zip([['bomb.png', Buffer.alloc(20 * 1024 * 1024)]]), 100), 'archive_invalid');
    await refused(Buffer.from('PK but not really a zip'), 'archive_invalid');
    expect(await files()).toBe(before);
  });
});
