import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The customer docs at /docs: the Redoc reference over the public spec, the guides rendered from
 * docs/guides, every link between them resolving, every page under a strict policy, and the
 * reference actually rendering in chromium with nothing loaded from another origin.
 */
let app: TestApp;
let browser: Browser;
const REQUIRED = ['quickstart', 'webhooks', 'batches', 'errors', 'idempotency', 'versions', 'test-mode'];
const guides = readdirSync('docs/guides')
  .filter((f) => f.endsWith('.md'))
  .map((f) => f.replace(/\.md$/, ''));

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] })]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const hrefs = (html: string) => [...html.matchAll(/\b(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);

describe('/docs', () => {
  it('has every guide the issue asks for', () => {
    expect(guides).toEqual(expect.arrayContaining(REQUIRED));
  });

  it('serves the reference and every guide under a strict policy, loading nothing from another origin', async () => {
    const reference = await fetch(`${app.url}/docs`);
    expect(reference.status).toBe(200);
    const csp = reference.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await reference.text();
    expect(html).toContain('<redoc spec-url="/openapi.json"');
    expect(hrefs(html).filter((h) => !h.startsWith('/'))).toEqual([]);
    const bundle = await fetch(`${app.url}/docs/assets/redoc.standalone.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect(await bundle.text()).toContain('RedocStandalone');
    for (const slug of ['', ...guides.map((g) => `/${g}`)]) {
      const res = await fetch(`${app.url}/docs/guides${slug}`);
      expect(res.status, slug).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
      expect(await res.text()).not.toMatch(/<script/);
    }
    expect((await fetch(`${app.url}/docs/guides/nope`)).status).toBe(404);
  });

  it('every internal link of the reference, the guide index and the guides resolves', async () => {
    const pages = ['/docs', '/docs/guides', ...guides.map((g) => `/docs/guides/${g}`)];
    const links = new Set<string>();
    for (const page of pages) {
      for (const href of hrefs(await (await fetch(`${app.url}${page}`)).text())) {
        if (href.startsWith('/')) links.add(href.split('#')[0]!);
        else expect(href, `${page} links to ${href}`).toMatch(/^(https:\/\/|#)/);
      }
    }
    expect(links.size).toBeGreaterThan(guides.length + 3);
    const broken: string[] = [];
    for (const link of links) {
      const res = await fetch(`${app.url}${link}`);
      if (res.status !== 200) broken.push(`${link}: ${res.status}`);
    }
    expect(broken).toEqual([]);
  });

  it('renders the public reference in chromium with no policy violation, and a guide too', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    // What came back from another origin: a request the policy blocks never gets a response.
    page.on('response', (r) => {
      if (!r.url().startsWith(app.url) && !/^(blob|data):/.test(r.url())) foreign.push(r.url());
    });
    await page.goto(`${app.url}/docs`);
    const videos = page.locator('.menu-content').getByText('videos', { exact: true }).first();
    await videos.waitFor({ timeout: 30_000 });
    await videos.click();
    await page.getByText('Create a video from an image and a prompt').first().waitFor();
    expect(await page.locator('.menu-content').getByText('admin', { exact: true }).count()).toBe(0);
    await page.goto(`${app.url}/docs/guides/quickstart`);
    await page.locator('main h1').waitFor();
    expect(await page.locator('main h1').textContent()).toBe('Quickstart');
    // Only Redoc's attribution logo (on Redocly's CDN) is refused, on purpose.
    expect(problems.filter((p) => /Content Security Policy|Refused/.test(p) && !p.includes('https://cdn.redoc.ly/redoc/logo-mini'))).toEqual([]);
    expect(foreign).toEqual([]);
  }, 60_000);
});
