import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';
import { firstForbiddenCharacter, invalidTextProblems } from '../../src/platform/http/text-rule.js';

let app: TestApp;
let key: string;
let fileId: string;

beforeAll(async () => {
  app = await startTestApp();
  ({ key } = await app.tenant());
  const form = new FormData();
  form.set('file', new Blob([makeImage('png')], { type: 'image/png' }), 'start.png');
  const res = await app.request('/v1/files', { method: 'POST', key, body: form });
  fileId = ((await res.json()) as { id: string }).id;
});
afterAll(() => app?.close());

async function expectInvalidCharacters(res: Response, param: string) {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as Record<string, any>;
  expect({ status: res.status, code: body.code }, body.detail).toEqual({ status: 400, code: 'validation_failed' });
  expect(body.errors).toContainEqual(expect.objectContaining({ param, code: 'invalid_characters' }));
  return body;
}

describe('the text rule', () => {
  it.each([
    ['NUL', 'a\u0000b', 'U+0000'],
    ['bell', '\u0007', 'U+0007'],
    ['vertical tab', 'x\u000By', 'U+000B'],
    ['escape', '\u001B[31m', 'U+001B'],
    ['a lone high surrogate', 'a\uD83D', 'U+D83D'],
    ['a lone low surrogate', '\uDE00b', 'U+DE00'],
    ['surrogates in the wrong order', '\uDE00\uD83D', 'U+DE00'],
  ])('refuses %s', (_name, text, codePoint) => {
    expect(firstForbiddenCharacter(text)?.codePoint).toBe(codePoint);
  });

  it.each([
    ['tab, newline and carriage return', 'line one\r\n\tline two'],
    ['emoji (a surrogate pair)', 'a sneaker 👟 on a 🏝️'],
    ['right-to-left text and marks', 'مرحبا \u200F\u202Eabc\u202C'],
    ['DEL and C1 controls', '\u007F\u0085'],
    ['the empty string', ''],
  ])('accepts %s', (_name, text) => {
    expect(firstForbiddenCharacter(text)).toBeUndefined();
  });

  it('names the path of nested values and the parent of bad keys, and walks deep bodies without recursion', () => {
    expect(invalidTextProblems({ a: [{ b: 'ok' }, { b: 'x\u0000' }], m: { 'k\u0001': 'v' } }).map((p) => p.param)).toEqual(['a.1.b', 'm']);
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(invalidTextProblems(deep)).toHaveLength(1);
  });
});

describe('strings with forbidden characters are refused at the edge', () => {
  it('a prompt with NUL → 400 invalid_characters on prompt, and nothing is charged', async () => {
    await expectInvalidCharacters(
      await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'a\u0000b', image: fileId, duration_seconds: 1 } }),
      'prompt',
    );
    expect(await app.sql('SELECT id FROM videos')).toEqual([]);
  });

  it('a metadata value with NUL → param metadata.k', async () => {
    await expectInvalidCharacters(
      await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: fileId, duration_seconds: 1, metadata: { k: 'a\u0000b' } } }),
      'metadata.k',
    );
  });

  it('a metadata key with a control character → param metadata', async () => {
    await expectInvalidCharacters(
      await app.request('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image: fileId, duration_seconds: 1, metadata: { 'k\u0002': 'v' } } }),
      'metadata',
    );
  });

  it('a webhook endpoint description with NUL → param description', async () => {
    await expectInvalidCharacters(
      await app.request('/v1/webhook-endpoints', { method: 'POST', key, json: { url: 'https://example.com/hooks', description: 'a\u0000b' } }),
      'description',
    );
  });

  it('an API key name with NUL → param name', async () => {
    await expectInvalidCharacters(await app.request('/v1/api-keys', { method: 'POST', key, json: { name: 'a\u0000b' } }), 'name');
  });

  it('an operator input (tenant metadata) with a lone surrogate → param metadata.note', async () => {
    const body = JSON.stringify({ name: 'T', metadata: { note: 'x\uD800y' } });
    expect(body).toContain('\\ud800'); // JSON.stringify escapes lone surrogates, as a client's JSON would
    await expectInvalidCharacters(
      await app.request('/v1/admin/tenants', { method: 'POST', key: app.operatorKey, headers: { 'content-type': 'application/json' }, body }),
      'metadata.note',
    );
  });

  it('a query parameter with NUL → param status', async () => {
    await expectInvalidCharacters(await app.request('/v1/videos?status=%00', { key }), 'status');
  });

  it('a path id with NUL → param id', async () => {
    await expectInvalidCharacters(await app.request('/v1/videos/vid_%00', { key }), 'id');
  });

  it('multipart fields are checked too; a file name with NUL is refused by the multipart parser', async () => {
    const form = new FormData();
    form.set('prompt', 'a\u0000b');
    form.set('image', new Blob([makeImage('png')], { type: 'image/png' }), 'a.png');
    await expectInvalidCharacters(await app.request('/v1/videos', { method: 'POST', key, body: form }), 'prompt');

    // Written by hand, as FormData would escape the name: the multipart parser itself refuses
    // control characters in part headers, so a file name never reaches the text rule.
    const boundary = 'edge-test-boundary';
    const raw = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="start\u0000.png"\r\nContent-Type: image/png\r\n\r\n`),
      makeImage('png'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await app.request('/v1/files', { method: 'POST', key, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: raw });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'invalid_multipart' });
  });

  it('is checked before the Idempotency-Key is looked at', async () => {
    const res = await app.request('/v1/videos', {
      method: 'POST',
      key,
      headers: { 'idempotency-key': 'k'.repeat(300) },
      json: { prompt: 'a\u0000b', image: fileId },
    });
    await expectInvalidCharacters(res, 'prompt');
  });

  it('a header value with a control character is refused by the HTTP parser, as problem+json', async () => {
    const { hostname, port } = new URL(app.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () =>
        socket.write(`POST /v1/videos HTTP/1.1\r\nHost: x\r\nIdempotency-Key: a\u0001b\r\nContent-Length: 0\r\n\r\n`),
      );
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('Content-Type: application/problem+json');
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400, code: 'malformed_request' });
  });

  it('an anonymous caller is told 401 before anything about its input', async () => {
    const res = await app.request('/v1/videos', { method: 'POST', json: { prompt: 'a\u0000b' } });
    expect(res.status).toBe(401);
  });

  it('prompts may hold newlines, tabs, emoji and right-to-left text, stored and returned as sent', async () => {
    const prompt = 'slow push-in\n\tthen orbit 👟 — مرحبا \u200F';
    const res = await app.request('/v1/videos', {
      method: 'POST',
      key,
      json: { prompt, image: fileId, duration_seconds: 1, metadata: { 'ключ 🔑': 'значение\r\n' } },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ prompt, metadata: { 'ключ 🔑': 'значение\r\n' } });
  });
});

describe('media types', () => {
  it('text/xml on POST /v1/videos → 415 unsupported_media_type naming the accepted types', async () => {
    const res = await app.request('/v1/videos', { method: 'POST', key, headers: { 'content-type': 'text/xml' }, body: '<video><prompt>p</prompt></video>' });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('accept-post')).toBe('application/json, multipart/form-data');
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({ code: 'unsupported_media_type', accepted_types: ['application/json', 'multipart/form-data'] });
    expect(body.detail).toContain('multipart/form-data');
  });

  it('a form-encoded PATCH of a JSON route → 415 with Accept-Patch', async () => {
    const res = await app.request('/v1/webhook-endpoints/whe_x', {
      method: 'PATCH',
      key,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'description=x',
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('accept-patch')).toBe('application/json');
  });

  it('JSON to the multipart-only upload → 415; application/*+json and a route that reads no body pass through', async () => {
    expect((await app.request('/v1/files', { method: 'POST', key, json: { file: 'x' } })).status).toBe(415);
    expect(
      (await app.request('/v1/api-keys', { method: 'POST', key, headers: { 'content-type': 'application/merge-patch+json' }, body: '{"name":"k"}' })).status,
    ).toBe(201);
    const cancel = await app.request('/v1/videos/vid_unknown/cancel', { method: 'POST', key, headers: { 'content-type': 'text/xml' }, body: '<x/>' });
    expect(cancel.status).toBe(404);
  });
});
