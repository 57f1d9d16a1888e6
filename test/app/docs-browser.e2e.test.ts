import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * /docs in Debian's chromium as an integrator meets it: videos first, and "Try it out" on
 * POST /v1/videos uploads an image file and gets a queued video. chromium comes with
 * scripts/ensure-system-deps.sh (npm test runs it).
 */
let app: TestApp;
let browser: Browser;
const image = join(tmpdir(), `leoma-docs-${process.pid}.png`);

beforeAll(async () => {
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=128x72', '-frames:v', '1', image]);
  [app, browser] = await Promise.all([startTestApp(), chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] })]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('/docs in a browser', () => {
  it('lists the videos operations first and uploads an image with "Try it out"', async () => {
    const { key } = await app.tenant();
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    await page.goto(`${app.url}/docs/try/`);
    await page.locator('.opblock-tag').first().waitFor();
    expect(await page.locator('.opblock-tag').first().getAttribute('data-tag')).toBe('videos');
    // /docs shows the public spec: the operator operations are in the operator spec only.
    expect(await page.locator('.opblock-tag[data-tag="admin"]').count()).toBe(0);

    await page.locator('button.authorize').first().click();
    await page.locator('.modal-ux input').first().fill(key);
    // The bearer key is the first scheme; the session cookie (browsers signed in to the console) is the second.
    await page.locator('.modal-ux button.authorize').first().click();
    await page.locator('.modal-ux button.btn-done').first().click();

    const create = page.locator('#operations-videos-createVideo');
    await create.locator('.opblock-summary').click();
    await create.locator('button.try-out__btn').click();
    await create.locator('.body-param-content-type select, .content-type-wrapper select').first().selectOption('multipart/form-data');
    await create.locator('input[type=file]').setInputFiles(image);
    await create.locator('tr[data-property-name="prompt"] input').first().fill('a test card from the docs');
    // Optional parameters' examples stay out of "Try it out": one Idempotency-Key would replay for every body.
    const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/v1/videos');
    await create.locator('button.execute').click();
    expect((await sent).headers()).not.toHaveProperty('idempotency-key');
    const status = create.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor();
    expect((await status.textContent())?.trim()).toBe('202');
    expect(await create.locator('.live-responses-table .microlight').first().textContent()).toContain('"status": "queued"');

    mkdirSync('test/artifacts', { recursive: true });
    await page.screenshot({ path: 'test/artifacts/docs.png' });
  }, 60_000);
});
