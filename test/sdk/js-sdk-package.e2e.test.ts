import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { newWebhookSecret, signatureHeader } from '../../src/webhooks/signature.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * @leoma/sdk as a customer gets it: `npm pack` of sdk/js (what the tarball holds, its exports map),
 * installed from the packed file in a fresh directory, then used from ESM, from CommonJS, from
 * TypeScript in both module systems, and in Chromium, each against the real api and worker.
 * The SDK's two dependencies are packed from this repository's node_modules and installed beside
 * it (`--offline`), so the install needs no registry.
 */
const run = promisify(execFile);
const SDK = resolve('sdk/js');
const TSC = resolve('node_modules/typescript/bin/tsc');
let app: TestApp;
let dir: string;
let packed: { files: { path: string }[]; filename: string };
let png: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leoma-sdk-consumer-'));
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=0x3366cc:s=64x36', '-frames:v', '1', join(dir, 'card.png')]);
  png = readFileSync(join(dir, 'card.png'), { encoding: 'base64' });
  const [started] = await Promise.all([
    startTestApp({ worker: true }),
    (async () => {
      await run('npm', ['run', 'build'], { cwd: SDK });
      const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: SDK });
      packed = JSON.parse(stdout)[0];
      for (const dep of ['openapi-fetch', 'openapi-typescript-helpers', 'eventsource-parser']) {
        await run('npm', ['pack', '--silent', '--pack-destination', dir, resolve('node_modules', dep)]);
      }
      await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
      const tarballs = (await run('bash', ['-c', 'ls *.tgz'], { cwd: dir })).stdout.trim().split('\n');
      await run('npm', ['install', '--offline', '--no-audit', '--no-fund', ...tarballs.map((t) => `./${t}`)], { cwd: dir });
    })(),
  ]);
  app = started;
}, 120_000);
afterAll(() => app?.close());

/** A program in the consumer directory, run with the key in its environment; its stdout parsed as JSON. */
async function runConsumer(file: string, source: string, key: string): Promise<Record<string, unknown>> {
  await writeFile(join(dir, file), source);
  const { stdout } = await run(process.execPath, [file], { cwd: dir, env: { ...process.env, LEOMA_API_URL: app.url, LEOMA_API_KEY: key, PNG: png } });
  return JSON.parse(stdout);
}

const program = (importLine: string) => `${importLine}
(async () => {
  const leoma = createLeomaClient({ baseUrl: process.env.LEOMA_API_URL, apiKey: process.env.LEOMA_API_KEY });
  const created = await leoma.videos.create({ prompt: 'from the packed sdk', duration_seconds: 1, image: Buffer.from(process.env.PNG, 'base64') });
  const done = await leoma.waitForVideo(created.id, { timeoutMs: 60000 });
  const missing = await leoma.videos.get('vid_doesnotexist').catch((e) => e);
  console.log(JSON.stringify({ status: done.status, problem: missing instanceof LeomaProblemError, code: missing.code }));
})();
`;

describe('@leoma/sdk from npm pack', () => {
  it('packs only the builds, their types, README and LICENSE, with an exports map for both module systems', async () => {
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'dist/esm/index.js',
        'dist/esm/index.d.ts',
        'dist/cjs/index.js',
        'dist/cjs/index.d.ts',
        'dist/cjs/package.json',
      ]),
    );
    expect(files.filter((f) => !/^(dist\/(esm|cjs)\/[\w-]+\.(js|d\.ts)|dist\/cjs\/package\.json|LICENSE|README\.md|package\.json)$/.test(f))).toEqual([]);
    const manifest = JSON.parse(await readFile(join(dir, 'node_modules/@leoma/sdk/package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: '@leoma/sdk', license: 'MIT' });
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['eventsource-parser', 'openapi-fetch']);
    for (const [condition, format] of [
      ['import', 'esm'],
      ['require', 'cjs'],
    ] as const) {
      const target = manifest.exports['.'][condition];
      expect(target).toEqual({ types: `./dist/${format}/index.d.ts`, default: `./dist/${format}/index.js` });
      for (const path of Object.values<string>(target)) expect(files).toContain(path.slice(2));
    }
    // Nothing Node-only in what browsers and edge runtimes load.
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      expect(await readFile(join(dir, 'node_modules/@leoma/sdk', file), 'utf8'), file).not.toMatch(
        /node:|require\("(crypto|buffer|http|https|stream)"\)|Buffer\./,
      );
    }
  });

  it('is imported (ESM) and required (CommonJS) from the installed package, creating and waiting for a real video', async () => {
    const { key } = await app.tenant();
    const [esm, cjs] = await Promise.all([
      runConsumer('esm.mjs', program("import { createLeomaClient, LeomaProblemError } from '@leoma/sdk';"), key),
      runConsumer('cjs.cjs', program("const { createLeomaClient, LeomaProblemError } = require('@leoma/sdk');"), key),
    ]);
    for (const result of [esm, cjs]) expect(result).toEqual({ status: 'succeeded', problem: true, code: 'resource_not_found' });
  }, 90_000);

  it('has types that resolve under TypeScript in both module systems (an .mts and a .cts consumer)', async () => {
    const consumer = (importLine: string) => `${importLine}
const leoma = createLeomaClient({ baseUrl: 'http://127.0.0.1', apiKey: 'lk_test_x', apiVersion: '2026-12-01' });
export async function check(): Promise<string> {
  const video: Video = await leoma.videos.create({ prompt: 'typed', duration_seconds: 1, image: 'file_1' });
  const code: ProblemCode = 'resource_not_found';
  // @ts-expect-error: a prompt is text (this line fails to compile only if the types really resolved)
  await leoma.videos.create({ prompt: 42 });
  const me = await leoma.api.GET('/v1/me');
  return video.status + code + String(me.response.status);
}
`;
    await writeFile(join(dir, 'esm-consumer.mts'), consumer("import { createLeomaClient, type ProblemCode, type Video } from '@leoma/sdk';"));
    await writeFile(join(dir, 'cjs-consumer.cts'), consumer("import { createLeomaClient, type ProblemCode, type Video } from '@leoma/sdk';"));
    const compilerOptions = {
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2022',
      lib: ['ES2023', 'DOM'],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['esm-consumer.mts', 'cjs-consumer.cts'] }));
    const result = await run(process.execPath, [TSC, '-p', 'tsconfig.json', '--traceResolution'], { cwd: dir, maxBuffer: 64 << 20 }).catch(
      (e: { stdout: string }) => e,
    );
    const trace = result.stdout;
    expect(trace).not.toMatch(/error TS/);
    expect(trace).toMatch(/'@leoma\/sdk' was successfully resolved to '[^']*\/dist\/esm\/index\.d\.ts'/);
    expect(trace).toMatch(/'@leoma\/sdk' was successfully resolved to '[^']*\/dist\/cjs\/index\.d\.ts'/);
  }, 60_000);
});

describe('@leoma/sdk in Chromium', () => {
  let browser: Browser;
  let site: Server;
  let siteUrl: string;
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => site?.close(r));
  });

  /**
   * The installed package served as-is, loaded by an import map (no bundler), from the same
   * origin as the API (this server proxies everything else to it, event streams included).
   */
  async function serve(): Promise<void> {
    const types: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html' };
    site = createServer(async (req, res) => {
      if (req.url!.startsWith('/static/')) {
        const file = join(dir, req.url!.slice('/static/'.length).split('?')[0]!);
        const body = await readFile(file).catch(() => undefined);
        res.writeHead(body ? 200 : 404, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'host')) as Record<string, string>;
      const answer = await fetch(new URL(req.url!, app.url), {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
        redirect: 'manual',
      });
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      if (answer.body) Readable.fromWeb(answer.body as never).pipe(res);
      else res.end();
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    const imports = {
      '@leoma/sdk': '/static/node_modules/@leoma/sdk/dist/esm/index.js',
      'openapi-fetch': '/static/node_modules/openapi-fetch/dist/index.mjs',
      'eventsource-parser': '/static/node_modules/eventsource-parser/dist/index.js',
    };
    await writeFile(
      join(dir, 'index.html'),
      `<!doctype html><script type="importmap">${JSON.stringify({ imports })}</script><script type="module">import * as sdk from '@leoma/sdk'; window.sdk = sdk;</script>`,
    );
  }

  it('creates a video from a Blob, follows its event stream, pages the list and verifies a webhook with Web Crypto', async () => {
    [browser] = await Promise.all([chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] }), serve()]);
    const { key } = await app.tenant();
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'video.succeeded', timestamp: new Date().toISOString(), data: { id: 'vid_1', object: 'video', status: 'succeeded' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const webhookHeaders = {
      'webhook-id': 'evt_1',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader([secret], 'evt_1', timestamp, body),
    };
    const page = await browser.newPage();
    const seen: string[] = [];
    page.on('request', (r) => seen.push(`${r.method()} ${new URL(r.url()).pathname}`));
    await page.goto(`${siteUrl}/static/index.html`);
    await page.waitForFunction("'sdk' in window");
    const result = await page.evaluate(
      async ({ key, png, body, webhookHeaders, secret }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the page's window, as the SDK loaded there
        const page = globalThis as any;
        const sdk = page.sdk;
        const leoma = sdk.createLeomaClient({ baseUrl: page.location.origin, apiKey: key });
        const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
        const first = await leoma.videos.create({ prompt: 'in a browser', duration_seconds: 1, image: new Blob([bytes], { type: 'image/png' }) });
        const done = await leoma.waitForVideo(first.id, { timeoutMs: 60_000 });
        const second = await leoma.videos.create({ prompt: 'again', duration_seconds: 1, image: `data:image/png;base64,${png}` });
        const listed: string[] = [];
        for await (const video of leoma.videos.list({ limit: 1 })) listed.push(video.id);
        const event = await sdk.verifyWebhook(body, new Headers(webhookHeaders), secret);
        const forged = await sdk.verifyWebhook(`${body} `, new Headers(webhookHeaders), secret).catch((e: Error) => e.name);
        return { status: done.status, listed, expected: [second.id, first.id], event: event.type, forged };
      },
      { key, png, body, webhookHeaders, secret },
    );
    expect(result).toMatchObject({ status: 'succeeded', event: 'video.succeeded', forged: 'WebhookVerificationError' });
    expect(result.listed).toEqual(result.expected);
    expect(seen.filter((s) => s.endsWith('/events'))).not.toEqual([]);
  }, 90_000);
});
