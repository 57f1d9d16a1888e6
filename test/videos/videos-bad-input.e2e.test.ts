import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';

let app: TestApp;
let key: string;

beforeAll(async () => {
  // Small caps so the size and pixel limits can be hit with small test images.
  app = await startTestApp({ env: { IMAGE_MAX_BYTES: String(300 * 1024), IMAGE_MAX_PIXELS: String(1_000_000) } });
  ({ key } = await app.tenant());
});
afterAll(() => app?.close());

const png = () => dataUri(makeImage('png'));
const base = (extra: Record<string, unknown>) => ({ prompt: 'a prompt', image: png(), duration_seconds: 1, ...extra });

async function expectProblem(res: Response, status: number, code: string, param?: string) {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as Record<string, any>;
  expect({ status: res.status, code: body.code }).toEqual({ status, code });
  expect(body).toMatchObject({ status, type: expect.stringContaining(code), title: expect.any(String), detail: expect.any(String) });
  expect(body.request_id).toBe(res.headers.get('request-id'));
  if (param) expect(body.errors.map((e: { param: string }) => e.param)).toContain(param);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  return body;
}

const cases: [string, () => Record<string, unknown>, number, string, string?][] = [
  ['missing prompt', () => ({ image: png() }), 400, 'validation_failed', 'prompt'],
  ['prompt over 2,000 characters', () => base({ prompt: 'x'.repeat(2001) }), 400, 'validation_failed', 'prompt'],
  ['unknown parameter', () => base({ colour: 'red' }), 400, 'validation_failed', 'colour'],
  ['bad resolution', () => base({ resolution: '4k' }), 400, 'validation_failed', 'resolution'],
  ['bad aspect ratio', () => base({ aspect_ratio: '4:3' }), 400, 'validation_failed', 'aspect_ratio'],
  ['non-integer duration', () => base({ duration_seconds: 2.5 }), 400, 'validation_failed', 'duration_seconds'],
  ['duration above the limit', () => base({ duration_seconds: 30 }), 422, 'duration_not_allowed', 'duration_seconds'],
  [
    'seventeen metadata pairs',
    () => base({ metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }),
    400,
    'validation_failed',
    'metadata',
  ],
  ['no image', () => ({ prompt: 'p' }), 400, 'validation_failed', 'image'],
  ['broken data URI', () => base({ image: 'data:image/png;base64,@@@' }), 422, 'image_data_uri_invalid', 'image'],
  ['GIF', () => base({ image: dataUri(makeImage('gif'), 'image/gif') }), 415, 'image_unsupported_type', 'image'],
  ['text claiming to be PNG', () => base({ image: dataUri(Buffer.from('hello, not an image at all'.repeat(10))) }), 415, 'image_unsupported_type', 'image'],
  ['truncated PNG', () => base({ image: dataUri(makeImage('png').subarray(0, 40)) }), 422, 'image_invalid', 'image'],
  ['too many pixels', () => base({ image: dataUri(makeImage('jpeg', '1280x1024'), 'image/jpeg') }), 422, 'image_dimensions_too_large', 'image'],
  ['too many bytes', () => base({ image: dataUri(Buffer.concat([makeImage('png'), Buffer.alloc(310 * 1024)])) }), 413, 'image_too_large', 'image'],
  ['ftp URL', () => base({ image: 'ftp://example.com/a.png' }), 422, 'image_url_invalid', 'image'],
  ['URL with credentials', () => base({ image: 'https://user:pw@example.com/a.png' }), 422, 'image_url_invalid', 'image'],
  ['URL on loopback', () => base({ image: 'https://127.0.0.1/a.png' }), 422, 'image_url_forbidden', 'image'],
  ['URL named localhost', () => base({ image: 'https://localhost/a.png' }), 422, 'image_url_forbidden', 'image'],
  ['URL in 10.0.0.0/8', () => base({ image: 'https://10.20.30.40/a.png' }), 422, 'image_url_forbidden', 'image'],
  ['cloud metadata address', () => base({ image: 'https://169.254.169.254/latest/meta-data' }), 422, 'image_url_forbidden', 'image'],
  ['IPv4-mapped IPv6 loopback', () => base({ image: 'https://[::ffff:127.0.0.1]/a.png' }), 422, 'image_url_forbidden', 'image'],
  ['unknown file id', () => base({ image: 'file_01jd3v8m7k2q9x4r5s6t7v8w9x' }), 404, 'file_not_found', 'image'],
];

describe('bad input to POST /v1/videos', () => {
  it.each(cases)('%s → %i %s', async (_name, body, status, code, param) => {
    await expectProblem(await app.request('/v1/videos', { method: 'POST', key, json: body() }), status, code, param);
  });

  it('a JSON body over the cap → 413 payload_too_large', async () => {
    await expectProblem(await app.request('/v1/videos', { method: 'POST', key, json: base({ image: 'x'.repeat(600 * 1024) }) }), 413, 'payload_too_large');
  });

  it('malformed JSON → 400 malformed_json', async () => {
    await expectProblem(
      await app.request('/v1/videos', { method: 'POST', key, headers: { 'content-type': 'application/json' }, body: '{"prompt": ' }),
      400,
      'malformed_json',
    );
  });

  it('a multipart image part that is too large → 413 before it is buffered', async () => {
    const form = new FormData();
    form.set('prompt', 'p');
    form.set('image', new Blob([Buffer.alloc(400 * 1024)]), 'big.png');
    await expectProblem(await app.request('/v1/videos', { method: 'POST', key, body: form }), 413, 'image_too_large', 'image');
  });

  it('an image both as a file part and as a field → 400 image_ambiguous', async () => {
    const form = new FormData();
    form.set('prompt', 'p');
    form.set('image', new Blob([makeImage('png')], { type: 'image/png' }), 'a.png');
    form.append('image', 'https://example.com/a.png');
    await expectProblem(await app.request('/v1/videos', { method: 'POST', key, body: form }), 400, 'image_ambiguous', 'image');
  });

  it('left no job row behind', async () => {
    const rows = await app.sql('select count(*)::int as n from videos');
    expect(rows[0].n).toBe(0);
    const list = (await (await app.request('/v1/videos', { key })).json()) as { data: unknown[] };
    expect(list.data).toEqual([]);
  });
});

describe('authentication and routing errors', () => {
  it('no key → 401 authentication_required with WWW-Authenticate', async () => {
    const res = await app.request('/v1/videos');
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    await expectProblem(res, 401, 'authentication_required');
  });

  it('a forged key → 401 invalid_api_key', async () => {
    await expectProblem(await app.request('/v1/videos', { key: 'lk_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }), 401, 'invalid_api_key');
  });

  it('a key without the scope → 403 insufficient_scope', async () => {
    const readOnly = await app.tenant({ scopes: ['videos:read'] });
    await expectProblem(await app.request('/v1/videos', { method: 'POST', key: readOnly.key, json: base({}) }), 403, 'insufficient_scope');
  });

  it('a tenant key on an admin route → 403, an operator key on a tenant route → 403', async () => {
    await expectProblem(await app.request('/v1/admin/tenants', { method: 'POST', key, json: { name: 'x' } }), 403, 'operator_key_required');
    await expectProblem(await app.request('/v1/videos', { key: app.operatorKey }), 403, 'tenant_key_required');
  });

  it('an unknown route → 404 problem', async () => {
    await expectProblem(await app.request('/v1/nope', { key }), 404, 'resource_not_found');
  });

  it("another tenant's video id → 404", async () => {
    const other = await app.tenant();
    const created = (await (await app.request('/v1/videos', { method: 'POST', key: other.key, json: base({}) })).json()) as { id: string };
    expect(created.id).toMatch(/^vid_/);
    for (const path of [`/v1/videos/${created.id}`, `/v1/videos/${created.id}/content`]) {
      await expectProblem(await app.request(path, { key }), 404, 'resource_not_found');
    }
    await expectProblem(await app.request(`/v1/videos/${created.id}/cancel`, { method: 'POST', key }), 404, 'resource_not_found');
    const mine = (await (await app.request('/v1/videos', { key })).json()) as { data: unknown[] };
    expect(mine.data).toEqual([]);
  });
});
