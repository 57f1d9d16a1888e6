import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImageDataUri } from '../../src/files/data-uri.js';
import { inspectImage } from '../../src/files/image-inspect.js';
import { DomainError } from '../../src/platform/http/domain-error.js';
import { isPublicAddress } from '../../src/platform/outbound/public-address.js';
import { fetchPublicUrl, fetchWithPolicy, type LookupFn } from '../../src/platform/outbound/safe-fetch.js';

// A real PNG: IHDR + zlib-compressed 8-bit grayscale rows + IEND, each chunk with its CRC.
function makePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // bit depth 8, grayscale, deflate, filter 0, no interlace
  const rows = Buffer.alloc((width + 1) * height, 0x80); // every row: filter byte + pixels
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// 6×4 images made by real encoders, embedded so the test needs no ffmpeg at run time:
//   ffmpeg -f lavfi -i color=c=red:s=6x4 -frames:v 1 x.jpg          (ffmpeg 5.1, mjpeg)
//   ffmpeg -f lavfi -i color=c=red:s=6x4 -frames:v 1 -c:v libwebp x.webp
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU5LjM3LjEwMAD/2wBDAAgEBAQEBAUFBQUFBQYGBgYGBgYGBgYGBgYHBwcICAgHBwcGBgcHCAgICAkJCQgICAgJCQoKCgwMCwsODg4RERT/xABMAAEBAAAAAAAAAAAAAAAAAAAABgEBAQAAAAAAAAAAAAAAAAAABgcQAQAAAAAAAAAAAAAAAAAAAAARAQAAAAAAAAAAAAAAAAAAAAD/wAARCAAEAAYDASIAAhEAAxEA/9oADAMBAAIRAxEAPwCLAFF/f//Z',
  'base64',
);
const WEBP = Buffer.from('UklGRjwAAABXRUJQVlA4IDAAAADQAQCdASoGAAQAAgA0JaACdLoB+AADsAD+8Oj3/yC5YXXI1/8gP+QH/ID/+PIAAAA=', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const PNG = makePng(6, 4);

const LIMITS = { maxBytes: 1_000_000, maxPixels: 1_000_000 };

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected an DomainError');
}

const fixedLookup =
  (table: Record<string, string[]>): LookupFn =>
  async (hostname) =>
    (table[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '192.0.2.1',
    '198.18.0.1',
    '240.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '::7f00:1', // IPv4-compatible ::127.0.0.1, which ipaddr.js alone calls unicast
    '64:ff9b::a00:1', // NAT64 of 10.0.0.1
    '2002:a00:1::', // 6to4 of 10.0.0.1
    '2001:0:4136:e378:8000:63bf:f5ff:fffe', // Teredo
    '2001:db8::1',
    '127.1',
    '0x7f000001',
    'localhost',
    '',
    'not-an-ip',
  ])('refuses %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('accepts %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });

  it('refuses every address in 10/8, plain or IPv4-mapped', () => {
    const tenSlash8 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([b, c, d]) => `10.${b}.${c}.${d}`);
    fc.assert(fc.property(tenSlash8, (ip) => !isPublicAddress(ip) && !isPublicAddress(`::ffff:${ip}`)));
  });
});

describe('fetchPublicUrl', () => {
  let server: http.Server;
  let port: number;
  const hosts: string[] = [];
  let streamClosed: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      const url = new URL(req.url ?? '/', 'http://x');
      switch (url.pathname) {
        case '/image.png':
          // A lying Content-Type: the fetcher reports it but must not act on it.
          res.writeHead(200, { 'content-type': 'text/plain' }).end(PNG);
          return;
        case '/redirect':
          res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
          return;
        case '/chain': {
          const left = Number(url.searchParams.get('left'));
          res.writeHead(302, { location: left > 0 ? `/chain?left=${left - 1}` : '/image.png' }).end();
          return;
        }
        case '/declared-large':
          // Sends a little and stalls: only the early Content-Length check can answer in time.
          res.writeHead(200, { 'content-length': 5000 }).write(Buffer.alloc(10));
          return;
        case '/endless': {
          // Chunked with no length: only counting bytes as they arrive can stop this.
          res.writeHead(200);
          const timer = setInterval(() => res.write(Buffer.alloc(1024)), 2);
          streamClosed = new Promise((resolve) => res.on('close', () => resolve(clearInterval(timer))));
          return;
        }
        case '/stall-headers':
          return; // never answers
        case '/stall-body':
          res.writeHead(200, { 'content-length': 100 }).write(Buffer.alloc(10));
          return;
        default:
          res.writeHead(404).end();
      }
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const opts = { maxBytes: 1000, timeoutMs: 2000 };
  const dev = { ...opts, allowPrivateNetworks: true };

  it.each([
    'https://127.0.0.1/',
    'https://10.1.2.3/',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::1]/',
    'https://[::ffff:10.0.0.1]/',
    'https://100.64.0.1/',
    'https://0x7f.1/', // WHATWG URL normalises these spellings to 127.0.0.1
    'https://2130706433/',
  ])('refuses the literal address in %s without connecting or resolving', async (url) => {
    const lookup: LookupFn = () => Promise.reject(new Error('a literal address must not be resolved'));
    const err = await fetchPublicUrl(url, { ...opts, lookup }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'image_url_forbidden' });
    expect((err as Error).message).toBe('The image URL resolves to a non-public address.');
  });

  it('refuses localhost as the real resolver sees it (/etc/hosts), and fetches it in dev mode', async () => {
    // https because production only accepts https; the refusal happens before any TLS.
    await expect(fetchPublicUrl(`https://localhost:${port}/image.png`, opts)).rejects.toMatchObject({
      code: 'image_url_forbidden',
    });
    const got = await fetchPublicUrl(`http://localhost:${port}/image.png`, dev);
    expect(got.body.equals(PNG)).toBe(true);
    expect(got.contentType).toBe('text/plain');
    expect(got.finalUrl).toBe(`http://localhost:${port}/image.png`);
  });

  it('accepts plain http only in dev mode', async () => {
    await expect(fetchPublicUrl(`http://localhost:${port}/image.png`, opts)).rejects.toMatchObject({
      code: 'image_url_invalid',
    });
  });

  it('refuses a host name that resolves privately, even when another answer is public', async () => {
    const lookup = fixedLookup({ 'private.test': ['10.0.0.5'], 'mixed.test': ['8.8.8.8', '10.0.0.5'] });
    for (const host of ['private.test', 'mixed.test']) {
      await expect(fetchPublicUrl(`https://${host}/a.png`, { ...opts, lookup })).rejects.toMatchObject({
        code: 'image_url_forbidden',
      });
    }
  });

  it('connects to the address it checked, keeping the host name in the Host header', async () => {
    // .test never resolves in real DNS (RFC 6761): if Node resolved the name again at connect
    // time instead of using the checked answer, this fetch would fail.
    let lookups = 0;
    const lookup: LookupFn = async () => {
      lookups++;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const got = await fetchPublicUrl(`http://pinned.test:${port}/image.png`, { ...dev, lookup });
    expect(got.body.equals(PNG)).toBe(true);
    expect(lookups).toBe(1);
    expect(hosts.at(-1)).toBe(`pinned.test:${port}`);
  });

  describe('redirects', () => {
    // No public host is reachable from CI, so this policy lets the loopback test server play
    // the public Internet. Everything else goes through the production check (isPublicAddress),
    // so a refusal below can only come from re-checking the redirect target.
    const loopbackIsPublic = {
      schemes: ['http:'],
      isAllowedAddress: (ip: string) => ip === '127.0.0.1' || isPublicAddress(ip),
    };
    const lookup = fixedLookup({ 'cdn.test': ['127.0.0.1'], 'metadata.test': ['169.254.169.254'] });

    it.each(['http://metadata.test/latest/meta-data/', 'http://10.0.0.1/', 'http://[::1]/'])('refuses a redirect to %s', async (target) => {
      const before = hosts.length;
      const url = `http://cdn.test:${port}/redirect?to=${encodeURIComponent(target)}`;
      await expect(fetchWithPolicy(url, { ...opts, lookup }, loopbackIsPublic)).rejects.toMatchObject({
        code: 'image_url_forbidden',
      });
      expect(hosts.length - before).toBe(1); // the redirect itself, nothing more
    });

    it('follows up to maxRedirects and reports the final URL', async () => {
      const got = await fetchPublicUrl(`http://127.0.0.1:${port}/chain?left=2`, dev);
      expect(got.body.equals(PNG)).toBe(true);
      expect(got.finalUrl).toBe(`http://127.0.0.1:${port}/image.png`);
      await expect(fetchPublicUrl(`http://127.0.0.1:${port}/chain?left=3`, dev)).rejects.toMatchObject({
        code: 'image_fetch_failed',
      });
    });

    it('applies the URL rules to redirect targets', async () => {
      for (const target of ['ftp://cdn.test/a.png', 'http://user:pass@cdn.test/a.png']) {
        const url = `http://127.0.0.1:${port}/redirect?to=${encodeURIComponent(target)}`;
        await expect(fetchPublicUrl(url, dev)).rejects.toMatchObject({ code: 'image_url_invalid' });
      }
    });
  });

  it('refuses an oversized body announced by Content-Length', async () => {
    await expect(fetchPublicUrl(`http://127.0.0.1:${port}/declared-large`, dev)).rejects.toMatchObject({ code: 'image_too_large' });
  });

  it('stops reading an endless body once it passes maxBytes', async () => {
    await expect(fetchPublicUrl(`http://127.0.0.1:${port}/endless`, dev)).rejects.toMatchObject({ code: 'image_too_large' });
    await streamClosed; // the connection was dropped, not drained
  });

  it.each(['/stall-headers', '/stall-body'])('times out on %s', async (path) => {
    const started = performance.now();
    await expect(fetchPublicUrl(`http://127.0.0.1:${port}${path}`, { ...dev, timeoutMs: 150 })).rejects.toMatchObject({ code: 'image_fetch_timeout' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('counts DNS in the time budget', async () => {
    const lookup: LookupFn = () => new Promise(() => {});
    const fetching = fetchPublicUrl('https://slow-dns.test/', { ...opts, timeoutMs: 100, lookup });
    await expect(fetching).rejects.toMatchObject({ code: 'image_fetch_timeout' });
  });

  it('reports HTTP errors, refused connections and unknown hosts as image_fetch_failed', async () => {
    const closed = http.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    for (const url of [`http://127.0.0.1:${port}/missing`, `http://127.0.0.1:${closedPort}/`, 'http://no-such-host.invalid/']) {
      await expect(fetchPublicUrl(url, dev)).rejects.toMatchObject({ code: 'image_fetch_failed' });
    }
  });

  it.each([
    'ftp://example.com/a.png',
    'https://user:pass@example.com/a.png',
    'https://user@example.com/a.png',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
  ])('refuses %s as image_url_invalid', async (url) => {
    await expect(fetchPublicUrl(url, opts)).rejects.toMatchObject({ code: 'image_url_invalid' });
  });

  it('refuses credentials in dev mode too', async () => {
    await expect(fetchPublicUrl(`http://user:pass@127.0.0.1:${port}/image.png`, dev)).rejects.toMatchObject({
      code: 'image_url_invalid',
    });
  });
});

describe('parseImageDataUri', () => {
  const b64 = PNG.toString('base64');

  it('decodes image data URIs, padded or not, with any case prefix', () => {
    expect(parseImageDataUri(`data:image/png;base64,${b64}`, 1000).equals(PNG)).toBe(true);
    expect(parseImageDataUri(`DATA:IMAGE/PNG;BASE64,${b64}`, 1000).equals(PNG)).toBe(true);
    expect(parseImageDataUri('data:image/png;base64,QQ', 10)).toEqual(Buffer.from('A'));
  });

  it.each([
    `data:text/plain;base64,${b64}`,
    `data:image/png,${b64}`,
    `data:image/png;charset=utf-8;base64,${b64}`,
    'data:image/png;base64,',
    'data:image/png;base64,@@@@',
    'data:image/png;base64,QQ=',
    'data:image/png;base64,Q',
    'data:image/png;base64,QU JD',
    'data:image/png;base64,QUJD_-==',
    'https://example.com/a.png',
  ])('refuses %s', (uri) => {
    expect(thrown(() => parseImageDataUri(uri, 1000)).code).toBe('image_data_uri_invalid');
  });

  it('enforces maxBytes exactly, before looking at the payload', () => {
    const tenBytes = Buffer.alloc(10, 1).toString('base64');
    expect(parseImageDataUri(`data:image/png;base64,${tenBytes}`, 10)).toHaveLength(10);
    const elevenBytes = Buffer.alloc(11, 1).toString('base64');
    expect(thrown(() => parseImageDataUri(`data:image/png;base64,${elevenBytes}`, 10))).toMatchObject({ code: 'image_too_large' });
    // Not even base64: the length alone decides, so a huge payload is never scanned.
    expect(thrown(() => parseImageDataUri(`data:image/png;base64,${'!'.repeat(4_000_000)}`, 1000)).code).toBe('image_too_large');
  });
});

describe('inspectImage', () => {
  it.each([
    ['PNG', PNG, 'image/png', 'png'],
    ['JPEG', JPEG, 'image/jpeg', 'jpg'],
    ['WebP', WEBP, 'image/webp', 'webp'],
  ])('reads a real %s', async (_name, buf, mime, ext) => {
    await expect(inspectImage(buf, LIMITS)).resolves.toEqual({ mime, ext, width: 6, height: 4 });
  });

  it('refuses GIF and non-images with 415, whatever the file was called', async () => {
    // inspectImage never sees a file name or Content-Type: "photo.png" holding text is just text.
    for (const buf of [GIF, Buffer.from('hello, I am definitely a PNG\n')]) {
      await expect(inspectImage(buf, LIMITS)).rejects.toMatchObject({ code: 'image_unsupported_type' });
    }
  });

  it.each([
    ['PNG cut inside the header', PNG.subarray(0, 20)],
    ['PNG cut before IEND', PNG.subarray(0, PNG.length - 12)],
    ['PNG cut inside IDAT', PNG.subarray(0, PNG.length - 20)],
    ['JPEG cut before end of image', JPEG.subarray(0, JPEG.length - 10)],
    ['WebP cut short', WEBP.subarray(0, WEBP.length - 8)],
  ])('refuses a %s as image_invalid', async (_name, buf) => {
    await expect(inspectImage(buf, LIMITS)).rejects.toMatchObject({ code: 'image_invalid' });
  });

  it('enforces byte, pixel and dimension limits', async () => {
    const big = makePng(1200, 1000);
    await expect(inspectImage(big, LIMITS)).rejects.toMatchObject({ code: 'image_dimensions_too_large' });
    await expect(inspectImage(big, { ...LIMITS, maxPixels: 1_200_000 })).resolves.toMatchObject({
      width: 1200,
      height: 1000,
    });
    await expect(inspectImage(big, { ...LIMITS, maxPixels: 2e6, maxDimension: 1000 })).rejects.toMatchObject({
      code: 'image_dimensions_too_large',
    });
    await expect(inspectImage(PNG, { ...LIMITS, minDimension: 5 })).rejects.toMatchObject({ code: 'image_too_small' });
    await expect(inspectImage(PNG, { ...LIMITS, maxBytes: PNG.length - 1 })).rejects.toMatchObject({ code: 'image_too_large' });
  });
});
