import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { chromium, type Browser } from 'playwright-core';
import { rolldown } from 'rolldown';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { makeImage } from '../support/images.js';
import { corsEnv } from '../../src/platform/http/cors.env.js';
import { corsMiddleware } from '../../src/platform/http/cors.middleware.js';

/**
 * Browser code on another origin calling the API: preflights answered before authentication, the
 * headers the SDK reads exposed, and only for the origins in CORS_ALLOWED_ORIGINS. The browser part
 * runs @leoma/sdk (bundled from its source) in Debian's chromium on a page served from a second
 * port; the same page at `localhost` instead of `127.0.0.1` is an origin not on the list.
 */
let app: TestApp;
let site: Server;
let siteOrigin: string;
let browser: Browser | undefined;

beforeAll(async () => {
  const bundle = await rolldown({ input: 'sdk/js/src/index.ts', platform: 'browser', logLevel: 'silent' });
  const sdk = (await bundle.generate({ format: 'esm' })).output[0].code;
  site = createServer((req, res) => {
    if (req.url === '/sdk.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk);
    else
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><script type="module">import * as sdk from '/sdk.js'; window.sdk = sdk;</script>`);
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  [app, browser] = await Promise.all([
    startTestApp({ env: { CORS_ALLOWED_ORIGINS: `https://shop.example,${siteOrigin}` } }),
    chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await new Promise((r) => site?.close(r));
});

const preflight = (path: string, origin: string) =>
  fetch(`${app.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key,leoma-version' },
  });

describe('CORS', () => {
  it('answers a preflight from an allowed origin with the methods and headers the SDK sends, and never allows credentials', async () => {
    const res = await preflight('/v1/videos', 'https://shop.example');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = res.headers.get('access-control-allow-headers')!.toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'leoma-version', 'last-event-id']));
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('gives an origin not on the list, the operator API and a request without Origin no CORS headers', async () => {
    const other = await preflight('/v1/videos', 'https://evil.example');
    expect(other.status).toBe(204);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-methods')).toBeNull();
    const admin = await preflight('/v1/admin/tenants', 'https://shop.example');
    expect(admin.headers.get('access-control-allow-origin')).toBeNull();
    const plain = await app.request('/v1/me', { key: (await app.tenant()).key });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('exposes Request-Id, RateLimit, Retry-After and the idempotency and version headers on answers, problems included', async () => {
    const { key } = await app.tenant();
    const ok = await app.request('/v1/me', { key, headers: { origin: 'https://shop.example' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const exposed = ok.headers.get('access-control-expose-headers')!.split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['Request-Id', 'RateLimit', 'RateLimit-Policy', 'Retry-After', 'Idempotent-Replayed', 'Leoma-Version']));
    const denied = await app.request('/v1/me', { headers: { origin: 'https://shop.example' } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });

  it('answers `*` with `*` and no Vary, and refuses `*` mixed with origins or an origin with a path at start-up', async () => {
    expect(() => corsEnv.load({ CORS_ALLOWED_ORIGINS: '*,https://shop.example' })).toThrow(/either `\*` alone/);
    expect(() => corsEnv.load({ CORS_ALLOWED_ORIGINS: 'https://shop.example/app' })).toThrow(/without a path/);
    const saved = process.env.CORS_ALLOWED_ORIGINS;
    process.env.CORS_ALLOWED_ORIGINS = '*';
    corsEnv.reload();
    const server = express()
      .use(corsMiddleware())
      .get('/v1/me', (_req, res) => void res.json({}))
      .listen(0, '127.0.0.1');
    try {
      await new Promise((r) => server.once('listening', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const res = await fetch(`${url}/v1/me`, { headers: { origin: 'https://anyone.example' } });
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('vary')).toBeNull();
    } finally {
      server.close();
      process.env.CORS_ALLOWED_ORIGINS = saved;
      corsEnv.reload();
    }
  });

  it('lets @leoma/sdk in chromium on an allowed origin create and list videos and read the problem of a refusal; another origin is blocked', async () => {
    const { key } = await app.tenant();
    const png = makeImage('png', '64x36').toString('base64');
    const run = async (origin: string) => {
      const page = await browser!.newPage();
      await page.goto(`${origin}/`);
      await page.waitForFunction("'sdk' in window");
      return page.evaluate(
        async ({ apiUrl, key, png }) => {
          // biome-ignore lint/suspicious/noExplicitAny: the page's window, as the SDK loaded there
          const sdk = (globalThis as any).sdk;
          const leoma = sdk.createLeomaClient({ baseUrl: apiUrl, apiKey: key, retry: { maxRetries: 0 } });
          try {
            const video = await leoma.videos.create({ prompt: 'from another origin', duration_seconds: 1, image: `data:image/png;base64,${png}` });
            const listed: string[] = [];
            for await (const v of leoma.videos.list({ limit: 5 })) listed.push(v.id);
            const missing = await leoma.videos.get('vid_00000000000000000000000000').catch((e: { code?: string; requestId?: string }) => e);
            return { created: video.status, listed: listed.includes(video.id), code: missing.code, requestId: missing.requestId?.slice(0, 4) };
          } catch (e) {
            return { error: (e as Error).name };
          }
        },
        { apiUrl: app.url, key, png },
      );
    };
    expect(await run(siteOrigin)).toEqual({ created: 'queued', listed: true, code: 'resource_not_found', requestId: 'req_' });
    expect(await run(siteOrigin.replace('127.0.0.1', 'localhost'))).toEqual({ error: 'TypeError' });
  }, 60_000);
});
