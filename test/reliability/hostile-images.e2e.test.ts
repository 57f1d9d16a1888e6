import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

/**
 * Images built to hurt: a decompression bomb (a few hundred bytes declaring billions of pixels),
 * files that lie about their type, empty ones. Each is refused with its 4xx before anything is
 * decoded or stored, on both ways in (inline on POST /v1/videos, uploaded to POST /v1/files).
 */
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A valid PNG header for a width × height greyscale image whose pixel data is one zlib stream of zeros for a single row. */
function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let app: TestApp;
let key: string;

beforeAll(async () => {
  app = await startTestApp();
  ({ key } = await app.tenant());
});
afterAll(() => app?.close());

const submit = (image: string) => app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } });
const upload = (bytes: Buffer, type: string, name: string) => {
  const form = new FormData();
  form.set('file', new Blob([bytes], { type }), name);
  return app.request('/v1/files', { method: 'POST', key, body: form });
};

const cases: [string, Buffer, string, number, string][] = [
  ['a 60000×60000 PNG bomb of a few hundred bytes', pngBomb(60_000, 60_000), 'image/png', 422, 'image_dimensions_too_large'],
  ['a 1×4000000 PNG (absurd aspect)', pngBomb(1, 4_000_000), 'image/png', 422, 'image_dimensions_too_large'],
  ['a 2×2 PNG', pngBomb(2, 2), 'image/png', 422, 'image_too_small'],
  ['an empty file', Buffer.alloc(0), 'image/png', 415, 'image_unsupported_type'],
  ['HTML named .png', Buffer.from('<html><script>alert(1)</script></html>'), 'image/png', 415, 'image_unsupported_type'],
  [
    'an MP4 claiming to be JPEG',
    Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(64)]),
    'image/jpeg',
    415,
    'image_unsupported_type',
  ],
  ['a GIF sent as PNG', makeImage('gif'), 'image/png', 415, 'image_unsupported_type'],
];

describe.each(cases)('%s', (_name, bytes, type, status, code) => {
  it(`inline: ${status} ${code}, nothing stored`, async () => {
    const res = await submit(dataUri(bytes, type));
    const problem = (await res.json()) as { code: string };
    // An empty data URI is refused as malformed before its type can be judged.
    if (bytes.length === 0) expect(res.status).toBeGreaterThanOrEqual(400);
    else expect([res.status, problem.code]).toEqual([status, code]);
    expect(res.status).toBeLessThan(500);
    expect(await app.sql('SELECT 1 FROM videos')).toEqual([]);
  });

  it(`uploaded: ${status} ${code}`, async () => {
    const res = await upload(bytes, type, 'image.png');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const problem = (await res.json()) as { code: string };
    if (bytes.length > 0) expect([res.status, problem.code]).toEqual([status, code]);
    expect(await app.sql('SELECT 1 FROM files')).toEqual([]);
  });
});
