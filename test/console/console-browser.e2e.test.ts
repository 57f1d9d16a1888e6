import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { dataUri, makeImage } from '../support/images.js';
import { allocate, transferToTreasury } from '../support/treasury.js';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';
import { until } from '../support/until.js';
import { AllocationsService } from '../../src/treasury/allocations.service.js';
import { startStripeStub, type StripeStub } from '../support/stripe-stub/server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { linkToken, startMailbox, type Mailbox } from '../../tools/dev/mailbox.js';

/**
 * The console in Debian's chromium against the real service (api + worker + reference GPU
 * backend), built from console/ as `npm run build` builds it. One browser for the whole file.
 * UPDATE_SCREENSHOTS=1 rewrites docs/console/*.png (the README shows them), CONSOLE_SCREENSHOTS=1
 * writes them to test/artifacts/console; otherwise none are taken.
 */
let app: TestApp;
let browser: Browser;
let bundleDir: string;
let stripe: StripeStub;
let mailbox: Mailbox;
let receiver: WebhookReceiver;
/**
 * The subtensor test node the treasury tests use, so a burn really happens and anchors a closed
 * month's Merkle root on chain; without the runtime metadata (../shared/chain) that part is left out.
 */
let chain: { node: FakeSubtensor; coldkey: string; env: Record<string, string> } | undefined;
/** Grace's paid invoice (the billing test) and her browser session, for its burn proof once a month is closed and anchored. */
let grace: { invoiceId: string; session: Awaited<ReturnType<BrowserContext['storageState']>> } | undefined;
const work = mkdtempSync(join(tmpdir(), 'leoma-console-'));
const shots = process.env.UPDATE_SCREENSHOTS ? 'docs/console' : process.env.CONSOLE_SCREENSHOTS ? 'test/artifacts/console' : null;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

beforeAll(async () => {
  bundleDir = join(work, 'console');
  // The bundle builds while the stand-ins and the browser start; the app serves it, so it starts after.
  [, stripe, mailbox, receiver, browser] = await Promise.all([
    build({ configFile: 'console/vite.config.ts', logLevel: 'warn', build: { outDir: bundleDir } }),
    startStripeStub({ webhookSecret: 'whsec_console_secret' }),
    startMailbox(),
    startWebhookReceiver(),
    chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] }),
  ]);
  if (hasMetadata()) {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const node = new FakeSubtensor();
    const coldkey = keyring.addFromUri('//Alice').address;
    node.author.fund(coldkey, 10n * 1_000_000_000n);
    const env = {
      SUBTENSOR_WS_URL: await node.start(),
      TREASURY_BURNS_LIVE: 'true',
      TREASURY_SIGNER_SECRET: '//Alice',
      TREASURY_COLDKEY: coldkey,
      TREASURY_HOTKEY: keyring.addFromUri('//Bob').address,
      TREASURY_POLL_MS: '20',
      TREASURY_ONCHAIN_MEMO: 'true',
    };
    chain = { node, coldkey, env };
  } else console.warn('console test: no subtensor metadata (SUBTENSOR_METADATA_FILE): the burn-proof part is left out');
  app = await startTestApp({
    worker: true,
    env: {
      CONSOLE_DIR: bundleDir,
      ...stripe.serviceEnv(),
      ...chain?.env,
      // The webhook receiver is on 127.0.0.1, over http.
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mailbox.port),
      MAIL_RELAY_INTERVAL_MS: '50',
    },
  });
  // Plans are for sale once their prices exist at Stripe (as an operator's `leoma billing sync-catalog` makes them).
  expect((await app.request('/v1/admin/billing/sync-catalog', { method: 'POST', key: app.operatorKey })).ok).toBe(true);
  stripe.setWebhookTarget(`${app.url}/v1/stripe/webhooks`);
  if (shots) mkdirSync(shots, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await stripe?.close();
  await mailbox?.stop();
  await receiver?.close();
  await chain?.node.stop();
});

/** The middle of last month (UTC): the month the finance test closes. */
function lastMonthMid(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15, 12));
}

/** A promise settled from outside: how the back office's test waits for what the customers' tests do. */
function signal(): { settled: Promise<void>; settle: () => void } {
  let settle!: () => void;
  const settled = new Promise<void>((r) => {
    settle = r;
  });
  return { settled, settle };
}
/**
 * All five tests run side by side (each its own tenant and browser context; most of their time is
 * waiting on the service). Two things order them: support's failing backend (acmeTakes) waits until
 * no customer video renders any more, and finance's month close waits for Grace's paid invoice.
 * Each settles when its test ends too, so a failure there fails the back office fast rather than hanging it.
 */
const adaRendered = signal();
const hopperRendered = signal();
const gracePaid = signal();

/** A whole-page screenshot, when asked for: encoding them is CPU the assertions do not need. */
async function shot(page: Page, name: string): Promise<void> {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: name !== 'sign-in' });
}

/** A page that fails the test on any Content-Security-Policy violation or uncaught error. */
async function open(width = 1280): Promise<{ page: Page; problems: string[] }> {
  const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, problems };
}

/**
 * Sign-up as a new customer does it: the form, the emailed link opened in the same browser (the
 * link is bound to it by a cookie), the session cookies set; the new tenant's keys shown once.
 */
async function signUp(page: Page, email: string): Promise<{ testKey: string }> {
  await page.goto(`${app.url}/console/`);
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel(/Organization/).fill(`${email.split('@')[0]} studio`);
  await page.getByRole('button', { name: /Email me a link/ }).click();
  await page.getByText(`We sent a link to ${email}`).waitFor();
  const token = linkToken(await mailbox.waitFor((m) => m.to.includes(email) && /Confirm your email/.test(m.subject)));
  await page.goto(`${app.url}/console/verify?token=${encodeURIComponent(token)}`);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  const testKey = await page.getByTestId('welcome-key-test').inputValue();
  expect((await page.context().cookies()).find((c) => c.name === 'leoma_session')).toMatchObject({ httpOnly: true, secure: true });
  return { testKey };
}

/** Claim links are h-people's routes (issue 33): their part of this file runs once the operator spec has them. */
const claimLinksOnMain = readFileSync('openapi/openapi.json', 'utf8').includes('/v1/admin/tenants/{id}/claim-links');

/**
 * An operator (made by the bootstrap admin's key, as `leoma operators create` does) signs in to the
 * back office as staff do: their address, the emailed link opened in this browser, an operator
 * session with their role. Returns the labels of the back office's pages the role is shown.
 */
async function operatorSignIn(page: Page, role: string): Promise<string[]> {
  const email = `${role}@staff.example`;
  const made = await app.request('/v1/admin/operators', { method: 'POST', key: app.operatorKey, json: { name: role, email, role } });
  expect(made.status).toBe(201);
  await page.goto(`${app.url}/console/`);
  await page.getByRole('button', { name: 'Sign in to the back office' }).click();
  await page.getByLabel('Work email').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  const token = linkToken(await mailbox.waitFor((m) => m.to.includes(email) && /operator sign-in/.test(m.subject)));
  await page.goto(`${app.url}/console/verify?token=${encodeURIComponent(token)}`);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.waitFor();
  expect((await page.context().cookies()).find((c) => c.name === 'leoma_session')).toMatchObject({ httpOnly: true });
  return nav.getByRole('link').allTextContents();
}

/** axe-core's WCAG 2.1 A/AA rules on the page as it is; evaluate() is not subject to the page's CSP. */
async function axe(page: Page, name: string): Promise<void> {
  await page.evaluate(axeSource);
  // Page-side code goes as strings: this file is type-checked without the DOM library.
  const violations = await page.evaluate<string[]>(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
  expect(violations, `axe on ${name}`).toEqual([]);
}

/**
 * Acme's videos for support to find: one fails (the backend answers garbage) and, as Acme runs one
 * video at a time (an override sales may set), a second that may wait one second at most for that
 * slot really ends `expired`; and a prompt the platform's blocklist refuses, a moderation event.
 */
async function acmeTakes(key: string, acmeId: string): Promise<{ failedId: string; expiredId: string }> {
  const oneAtATime = await app.request(`/v1/admin/tenants/${acmeId}`, {
    method: 'PATCH',
    key: app.operatorKey,
    json: { limit_overrides: { concurrent_videos: 1 } },
  });
  expect(oneAtATime.status).toBe(200);
  const submit = async (json: Record<string, unknown>) =>
    (await app.request('/v1/videos', { method: 'POST', key, json: { image: dataUri(makeImage('png')), duration_seconds: 1, ...json } })).json() as Promise<{
      id: string;
      code?: string;
    }>;
  app.backend.configure({ garbage: true, delayMs: 3_000 });
  const failedId = (await submit({ prompt: 'a failing take' })).id;
  const expiredId = (await submit({ prompt: 'a take that waits too long', max_queue_seconds: 1 })).id;
  expect((await waitForStatus(app, key, expiredId, ['expired', 'succeeded', 'failed'], 30_000)).status).toBe('expired');
  app.backend.configure({ delayMs: 0 });
  await waitForStatus(app, key, failedId, ['failed']);
  app.backend.configure({ garbage: false });
  expect((await submit({ prompt: 'terrorist propaganda at dawn' })).code).toBe('content_policy_violation');
  return { failedId, expiredId };
}

async function nav(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
  await page.getByRole('heading', { level: 1 }).first().waitFor();
}

describe.concurrent('the console in a browser', () => {
  it('is served with a strict CSP, no inline code and no secrets in the bundle; deep links load the app', async () => {
    const res = await fetch(`${app.url}/console/videos/vid_x`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    // Videos and thumbnails come from storage's presigned URLs: that origin, and only it, besides our own.
    expect(csp).toContain(`media-src 'self' ${new URL(process.env.S3_ENDPOINT!).origin};`);
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = readdirSync(join(bundleDir, 'assets'));
    const js = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(bundleDir, 'assets', f), 'utf8'));
    for (const code of js) expect(code).not.toMatch(/sk_(live|test)_|whsec_[A-Za-z0-9]|lk_(live|test|op)_[A-Za-z0-9]{20}|API_KEY_HASH_SECRET|S3_SECRET/);
    const asset = await fetch(`${app.url}/console/assets/${assets.find((f) => f.endsWith('.js'))}`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    // The initial bundle (everything index.html loads) stays under 250 KB gzipped.
    const entry = /src="\/console\/assets\/([^"]+\.js)"/.exec(html)![1]!;
    const gzipped = gzipSync(readFileSync(join(bundleDir, 'assets', entry))).length;
    expect(gzipped).toBeLessThan(250 * 1024);

    const { page, problems } = await open();
    await page.goto(`${app.url}/console/`);
    await page.getByRole('heading', { name: 'Sign in to Leoma' }).waitFor();
    await axe(page, 'sign-in');
    await shot(page, 'sign-in');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('playground → the video plays → it is in the grid → usage shows it → delete; at 360 px too', async ({ onTestFinished }) => {
    onTestFinished(adaRendered.settle);
    const { page, problems } = await open();
    await signUp(page, 'ada@studio.example');
    // The session outlives a reload (the cookie), and the first Tab on a page reaches the skip link.
    await page.goto(`${app.url}/console/`);
    await page.getByRole('heading', { name: 'Playground' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await axe(page, 'playground');
    const image = join(work, 'input.png');
    writeFileSync(image, makeImage('png', '320x180'));
    await page.getByLabel(/Drop an image here/).setInputFiles(image);
    await page.getByLabel('Prompt').fill('a slow push-in on a test card');
    // Two variants of one request: side by side, each in its own player, with its own seed and cost.
    await page.getByLabel('Variants').selectOption('2');
    await page.getByTestId('estimate').waitFor();
    await page.getByText(/for 2 variants of 5 s/).waitFor();
    // The free plan runs one video at a time: the first variant renders (slowly, for now), the second waits for its slot.
    app.backend.configure({ delayMs: 3_000 });
    await page.getByRole('button', { name: 'Generate video' }).click();
    const group = page.locator('.variants[data-group-id]');
    await group.waitFor();
    // A video from the tenant's code that may wait one second at most: no slot frees in time, so it really ends `expired`.
    const { tenant_id: adaTenant } = (await (await page.request.get(`${app.url}/v1/session`)).json()) as { tenant_id: string };
    const codeKey = await app.request(`/v1/admin/tenants/${adaTenant}/api-keys`, { method: 'POST', key: app.operatorKey, json: { name: 'pipeline' } });
    const pipeline = ((await codeKey.json()) as { secret: string }).secret;
    const late = await app.request('/v1/videos', {
      method: 'POST',
      key: pipeline,
      json: {
        prompt: 'a take that waits too long',
        image: dataUri(makeImage('png')),
        duration_seconds: 1,
        max_queue_seconds: 1,
        metadata: { sku: 'MUG-1043' },
      },
    });
    const lateId = ((await late.json()) as { id: string; status: string }).id;
    expect(await waitForStatus(app, pipeline, lateId, ['expired', 'succeeded', 'failed'], 30_000)).toMatchObject({
      status: 'expired',
      error: { code: 'queue_deadline_passed' },
    });
    app.backend.configure({ delayMs: 0 });
    await group.locator('.result video').nth(1).waitFor({ timeout: 90_000 });
    await group.locator('.result video').first().waitFor();
    adaRendered.settle();
    // They really play: the browser decoded frames of each MP4 from storage.
    await page.evaluate(`document.querySelectorAll('.result video').forEach((v) => v.play())`);
    await page.waitForFunction(`[...document.querySelectorAll('.result video')].length === 2 && [...document.querySelectorAll('.result video')].every(
      (v) => v.readyState >= 2 && v.videoWidth > 0 && v.currentTime > 0)`);
    const variants = group.locator('.result');
    const ids = await Promise.all([0, 1].map(async (i) => (await variants.nth(i).getAttribute('data-video-id'))!));
    const groupId = (await group.getAttribute('data-group-id'))!;
    const listed = (await (await page.request.get(`${app.url}/v1/videos?group_id=${groupId}`)).json()) as { data: { id: string }[] };
    expect(listed.data.map((v) => v.id).sort()).toEqual([...ids].sort());
    const seeds = await variants.getByTestId('seed').allTextContents();
    expect(seeds).toHaveLength(2);
    expect(seeds[0]).not.toBe(seeds[1]);
    for (const facts of await variants.locator('.facts').allTextContents()) expect(facts).toMatch(/Cost\$[\d.]+ \(/);
    const [left, right] = [await variants.nth(0).boundingBox(), await variants.nth(1).boundingBox()];
    expect(right!.y).toBe(left!.y);
    expect(right!.x).toBeGreaterThan(left!.x + left!.width - 1);
    // Progress came live from each video's event stream: its steps after the status it was submitted with, ending `succeeded`.
    for (const i of [0, 1]) {
      const steps = await variants.nth(i).getByRole('list', { name: 'Progress' }).locator('li').allTextContents();
      expect(steps.length).toBeGreaterThan(1);
      expect(steps.at(-1)).toBe('succeeded');
    }
    // The download link is the MP4 itself.
    const mp4 = await fetch((await variants.nth(0).getByRole('link', { name: 'Download MP4' }).getAttribute('href'))!);
    expect(mp4.status).toBe(200);
    expect(
      Buffer.from(await mp4.arrayBuffer())
        .subarray(4, 8)
        .toString(),
    ).toBe('ftyp');
    const id = ids[0]!;
    await shot(page, 'playground');

    // By keyboard: Enter on a nav link moves focus to the new page's heading.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Videos' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(`document.activeElement?.tagName === 'H1' && document.activeElement.textContent === 'Videos'`);
    await page.locator(`a[href="/console/videos/${id}"]`).waitFor();
    await axe(page, 'videos');
    await shot(page, 'videos');
    // The queue's terminal status is a filter too: under `expired`, the video that waited too long, and only it.
    const expiredOnly = page.waitForResponse((r) => /\/v1\/videos\?.*status=expired/.test(r.url()));
    await page.getByLabel('Status').selectOption('expired');
    await expiredOnly;
    const expiredTile = page.locator('li.tile', { has: page.locator(`a[href="/console/videos/${lateId}"]`) });
    await expiredTile.getByText('expired', { exact: true }).waitFor();
    await page.waitForFunction(`document.querySelectorAll('li.tile').length === 1`);
    await page.getByLabel('Status').selectOption('');
    await page.locator(`a[href="/console/videos/${id}"]`).waitFor();
    // Search by metadata: only the video that carries it.
    await page.getByLabel(/Search prompt, id or metadata/).fill('sku=MUG-1043');
    await page.waitForFunction(`document.querySelectorAll('li.tile').length === 1`);
    await page.locator(`li.tile a[href="/console/videos/${lateId}"]`).waitFor();
    await page.getByLabel(/Search prompt, id or metadata/).fill('');
    await page.locator(`a[href="/console/videos/${id}"]`).waitFor();

    await nav(page, 'Usage');
    await page.locator('.chart canvas').waitFor();
    expect(await page.getByTestId('used-seconds').textContent()).not.toBe('0 s');
    // Both variants, by resolution and by the key the session's console uses.
    expect(await page.getByRole('table', { name: 'By resolution' }).locator('tbody tr', { hasText: '480p' }).locator('td').nth(1).textContent()).toBe('2');
    expect(await page.getByRole('table', { name: 'By API key' }).locator('tbody tr').first().locator('td').nth(1).textContent()).toBe('2');
    // A hard spend cap, set and removed on the page.
    await page.getByLabel('Measure').selectOption('amount');
    await page.getByLabel('Threshold').fill('25');
    await page.getByLabel(/Hard cap/).check();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const cap = page.locator('li', { hasText: 'Hard cap at $25.00' });
    await cap.waitFor();
    const alerts = async () => ((await (await page.request.get(`${app.url}/v1/billing/alerts`)).json()) as { data: unknown[] }).data;
    expect(await alerts()).toEqual([expect.objectContaining({ metric: 'amount', threshold: 2_500, hard_cap: true })]);
    await axe(page, 'usage');
    await shot(page, 'usage');
    await cap.getByRole('button', { name: /Remove/ }).click();
    await cap.waitFor({ state: 'detached' });
    expect(await alerts()).toEqual([]);

    // The same session in a phone-sized window of the same browser.
    const phone = await page.context().newPage();
    await phone.setViewportSize({ width: 360, height: 780 });
    await phone.goto(`${app.url}/console/videos`);
    await phone.locator(`a[href="/console/videos/${id}"]`).waitFor();
    // Nothing wider than the phone: no sideways scrolling of the page.
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await shot(phone, 'videos-360');
    await phone.close();

    await nav(page, 'Videos');
    await page.locator(`a[href="/console/videos/${id}"]`).click();
    await page.locator('.player video').waitFor();
    // Its provenance (model, revision, the backend that rendered it) and its cost.
    const facts = (await page.locator('.facts').first().textContent())!;
    expect(facts).toMatch(/leoma\/reference-i2v@.+backend cfg_default/);
    expect(facts).toMatch(/Cost\$[\d.]+ \(/);
    await axe(page, 'video detail');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete video' }).click();
    await page.getByRole('heading', { name: 'Videos', level: 1 }).waitFor();
    await page.locator('.grid, .empty').first().waitFor();
    expect(await page.locator(`a[href="/console/videos/${id}"]`).count()).toBe(0);
    // The page's own session (its cookies) no longer finds it.
    expect((await page.request.get(`${app.url}/v1/videos/${id}`)).status()).toBe(404);

    // Test mode: the same session on the tenant's sandbox side, where the live video's seconds are not counted.
    await page.getByLabel('Test mode').check();
    await page.getByText('Test mode: the sandbox').waitFor();
    await nav(page, 'Usage');
    expect(await page.getByTestId('used-seconds').textContent()).toBe('0 s');
    await page.getByLabel('Test mode').uncheck();
    await page.getByTestId('used-seconds').waitFor();
    expect(await page.getByTestId('used-seconds').textContent()).not.toBe('0 s');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('batches (a bad row shown before anything runs, local images, the manifest), keys, webhooks and the event log', async ({ onTestFinished }) => {
    onTestFinished(hopperRendered.settle);
    const { page, problems } = await open();
    await signUp(page, 'hopper@catalogue.example');
    await nav(page, 'Batches');
    const png = `data:image/png;base64,${makeImage('png', '64x36').toString('base64')}`;
    const csv = join(work, 'batch.csv');
    writeFileSync(csv, `custom_id,image,prompt,duration_seconds\nok-1,"${png}",a good row,2\nbad-2,"${png}",,2\n`);
    await page.getByLabel('CSV or JSONL file').setInputFiles(csv);
    await page.getByRole('button', { name: 'Validate and run' }).click();
    const rows = page.getByRole('table', { name: 'Invalid rows' });
    await rows.waitFor();
    expect(await rows.locator('tbody tr').count()).toBe(1);
    expect(await rows.locator('tbody tr').first().getAttribute('data-row')).toBe('2');
    expect(await page.getByTestId('problem-code').textContent()).toBe('batch_invalid_rows');
    const listBatches = async () =>
      ((await (await page.request.get(`${app.url}/v1/batches`)).json()) as { data: { id: string; input: { source: string } }[] }).data;
    expect(await listBatches()).toEqual([]);
    await axe(page, 'batches');
    await shot(page, 'batches');
    await page.getByRole('button', { name: 'Run only the valid rows' }).click();
    await page.locator('tr[data-batch-id]').waitFor();
    // A file naming a local image: the image goes up once (a file_ id) and the row refers to it.
    const local = join(work, 'mug.png');
    writeFileSync(local, makeImage('png', '64x36'));
    writeFileSync(csv, `custom_id,image,prompt\nlocal-1,mug.png,a local image\n`);
    await page.getByLabel('CSV or JSONL file').setInputFiles(csv);
    await page.getByLabel(/Local images/).setInputFiles(local);
    await page.getByRole('button', { name: 'Validate and run' }).click();
    await page.locator('tr[data-batch-id]').nth(1).waitFor();
    const batches = await listBatches();
    expect(batches.map((b) => b.input.source)).toEqual(['inline', 'upload']);
    void until(
      'both batches settled',
      async () =>
        (
          await app.sql("select count(*)::int as n from batches where id = any($1) and status not in ('validating', 'in_progress')", [batches.map((b) => b.id)])
        )[0]!.n === 2,
      90_000,
    ).then(hopperRendered.settle, hopperRendered.settle);
    const items = ((await (await page.request.get(`${app.url}/v1/videos?batch_id=${batches[0]!.id}`)).json()) as { data: { input: { file_id?: string } }[] })
      .data;
    expect(items[0]!.input).toMatchObject({ file_id: expect.stringMatching(/^file_/) });
    // Progress follows the batch on the page, which reads it again while it runs: 1 of 1 done, completed.
    const localBatch = page.locator(`tr[data-batch-id="${batches[0]!.id}"]`);
    await localBatch.getByText('1/1').waitFor({ timeout: 90_000 });
    await localBatch.getByText('completed', { exact: true }).waitFor();
    // The manifest, as a download: one row per input row, by its custom_id.
    const manifest = page.waitForEvent('download');
    await page.locator(`tr[data-batch-id="${batches[0]!.id}"]`).getByRole('button', { name: 'Download CSV' }).click();
    const csvFile = await manifest;
    expect(csvFile.suggestedFilename()).toBe(`${batches[0]!.id}.csv`);
    expect(readFileSync((await csvFile.path())!, 'utf8')).toContain('local-1');

    await nav(page, 'Developers');
    // A key with its own scopes and monthly budget; rolled: a new secret shown once, the old one refused at once.
    await page.getByLabel('Name', { exact: true }).fill('ci-key');
    await page.getByLabel(/Monthly video-seconds/).fill('600');
    await page.getByLabel('files:write', { exact: true }).uncheck();
    await page.getByRole('button', { name: 'Create key' }).click();
    const before = await page.getByTestId('new-secret').inputValue();
    expect(before).toMatch(/^lk_live_/);
    expect((await app.request('/v1/me', { key: before })).status).toBe(200);
    const keys = (await (await page.request.get(`${app.url}/v1/api-keys`)).json()) as {
      data: { name: string; scopes: string[]; monthly_video_seconds: number }[];
    };
    const made = keys.data.find((k) => k.name === 'ci-key')!;
    expect([...made.scopes].sort()).toEqual(['videos:read', 'videos:write']);
    expect(made.monthly_video_seconds).toBe(600);
    await axe(page, 'developers');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.locator('tr', { hasText: 'ci-key' }).getByRole('button', { name: /Roll/ }).click();
    const secret = await page.getByTestId('new-secret').inputValue();
    expect(secret).toMatch(/^lk_live_/);
    expect(secret).not.toBe(before);
    expect((await app.request('/v1/me', { key: secret })).status).toBe(200);
    expect((await app.request('/v1/me', { key: before })).status).toBe(401);
    await page.getByRole('button', { name: 'Done' }).click();
    // A webhook endpoint (a receiver on this machine); an event from before it existed, sent to it from the event log.
    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    expect(await page.getByTestId('new-secret').inputValue()).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Done' }).click();
    const event = page.getByRole('table', { name: 'Event log' }).locator('tr[data-event-type^="video."]').last();
    const eventId = (await event.locator('code').first().textContent())!;
    await event.getByRole('button', { name: /Redeliver/ }).click();
    await page
      .getByTestId('redelivered')
      .getByText(/queued again for 1 endpoint/)
      .waitFor();
    await receiver.waitFor((got) => got.some((r) => r.headers['webhook-id'] === eventId));
    await page.getByRole('button', { name: /Delivery log/ }).click();
    await page.locator(`li[data-event-id="${eventId}"]`).waitFor();
    await shot(page, 'developers');
    page.once('dialog', (d) => void d.accept());
    await page
      .locator('tr', { hasText: 'ci-key' })
      .getByRole('button', { name: /Revoke/ })
      .click();
    // Both rows of the key (the rolled and the revoked) now say revoked, and neither has a button left.
    await page.locator('tr', { hasText: 'ci-key' }).getByRole('button').first().waitFor({ state: 'detached' });
    expect(await page.locator('tr', { hasText: 'ci-key' }).getByText('revoked').count()).toBe(2);
    expect((await app.request('/v1/me', { key: secret })).status).toBe(401);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('members, SSO, billing (Checkout, a paid invoice and its burn proof, credit), sign-out and sign-in by link', async ({ onTestFinished }) => {
    onTestFinished(gracePaid.settle);
    const { page, problems } = await open();
    await signUp(page, 'grace@catalogue.example');
    await nav(page, 'Billing');
    expect(await page.getByTestId('plan').textContent()).toBe('free');
    await page
      .getByRole('button', { name: /^Choose / })
      .first()
      .waitFor();
    await axe(page, 'billing');
    await shot(page, 'billing');

    await nav(page, 'Team');
    await page.getByRole('list', { name: 'Sessions' }).getByText('this browser').waitFor();
    // A member invited by email accepts in their own browser, and is removed again.
    await page.getByLabel('Email', { exact: true }).fill('linus@catalogue.example');
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByRole('list', { name: 'Open invitations' }).getByText('linus@catalogue.example').waitFor();
    const invitation = linkToken(await mailbox.waitFor((m) => m.to.includes('linus@catalogue.example')));
    const { page: linus } = await open();
    await linus.goto(`${app.url}/console/accept?token=${encodeURIComponent(invitation)}`);
    await linus.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.reload();
    const row = page.locator('tr[data-member="linus@catalogue.example"]');
    expect(await row.getByRole('combobox').inputValue()).toBe('developer');
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: /Remove/ }).click();
    await row.waitFor({ state: 'detached' });
    // Removal ends the member's session at once: their next page load is the sign-in page.
    await linus.reload();
    await linus.getByRole('heading', { name: 'Sign in to Leoma' }).waitFor();
    await linus.context().close();
    await page.getByRole('table', { name: 'Audit log' }).getByText('invitation.created').waitFor();
    // Single sign-on: set up on the same page; the secret is written, never shown again.
    await page.getByLabel('Issuer URL').fill('https://login.catalogue.example');
    await page.getByLabel('Client ID').fill('leoma-console');
    await page.getByLabel(/Client secret/).fill('provider-secret-1');
    await page.getByLabel('Allowed email domains').fill('catalogue.example');
    await page.getByLabel('Role of new members').selectOption('developer');
    await page.getByRole('button', { name: 'Save SSO settings' }).click();
    await page.getByTestId('sso-configured').getByText('/v1/auth/sso/callback').waitFor();
    expect(await page.getByLabel(/Client secret/).inputValue()).toBe('');
    const sso = await (await page.request.get(`${app.url}/v1/sso`)).text();
    expect(JSON.parse(sso)).toMatchObject({ issuer: 'https://login.catalogue.example', allowed_domains: ['catalogue.example'], default_role: 'developer' });
    expect(sso).not.toContain('provider-secret-1');
    await axe(page, 'team');
    await shot(page, 'team');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('button', { name: /^Choose Pro/i }).click();
    await page.waitForURL(/\/checkout\/cs_/, { waitUntil: 'commit' });
    // Paid at Stripe (the stand-in), then a paid invoice: the treasury allocates its buy-and-burn share,
    // and the invoice's burn proof shows it (this month is open: no Merkle proof yet).
    await stripe.completeCheckout(/\/checkout\/(cs_[^/?#]+)/.exec(page.url())![1]!);
    const { tenant_id: graceTenant } = (await (await page.request.get(`${app.url}/v1/session`)).json()) as { tenant_id: string };
    const subscription = await until('subscription mirrored', async () => {
      const [a] = await app.sql('select stripe_subscription_id from billing_accounts where tenant_id = $1 and subscription_status = $2', [
        graceTenant,
        'active',
      ]);
      return a?.stripe_subscription_id as string | undefined;
    });
    const invoice = await stripe.openInvoice(subscription, 4_900);
    await stripe.payInvoice(invoice.id as string);
    await until('payment booked', async () => (await app.sql('select 1 from revenue_entries where stripe_invoice_id = $1', [invoice.id])).length > 0);
    await app.api.get(AllocationsService).sweep();
    await page.goto(`${app.url}/console/billing`);
    const proof = page.getByTestId(`burn-proof-${invoice.id}`);
    await proof.getByText(/allocation/).click();
    await proof
      .locator('li[data-allocation-id]')
      .getByText(/to buy-and-burn \(invoice paid\), month \d{4}-\d{2} — the month is not closed yet/)
      .waitFor();

    // Prepaid credit, bought through Checkout too: granted once Stripe reports the session paid.
    await page.getByLabel('Credit to buy (USD)').fill('20');
    await page.getByRole('button', { name: 'Buy credit' }).click();
    await page.waitForURL(/\/checkout\/cs_/, { waitUntil: 'commit' });
    await stripe.completeCheckout(/\/checkout\/(cs_[^/?#]+)/.exec(page.url())![1]!);
    const available = async () => ((await (await page.request.get(`${app.url}/v1/billing/credits`)).json()) as { available: number }).available;
    await until('credit granted', async () => (await available()) === 2_000);
    await page.goto(`${app.url}/console/billing`);
    expect(await page.getByTestId('credits-available').textContent()).toBe('$20.00');
    await page
      .getByRole('list', { name: 'Credit grants' })
      .getByText(/\$20\.00 bought/)
      .waitFor();

    // Stripe's customer portal, for payment methods and invoices.
    await page.getByRole('button', { name: /Manage payment methods and invoices/ }).click();
    await page.waitForURL(/\/portal\//, { waitUntil: 'commit' });

    // Signing out ends the session at the API, not just in the page.
    await page.goto(`${app.url}/console/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Leoma' }).waitFor();
    expect((await page.request.get(`${app.url}/v1/session`)).status()).toBe(401);
    // …and signing in again is by an emailed link too.
    await page.getByLabel('Work email').fill('grace@catalogue.example');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    const signInLink = linkToken(await mailbox.waitFor((m) => m.to.includes('grace@catalogue.example') && /sign-in link/.test(m.subject)));
    await page.goto(`${app.url}/console/verify?token=${encodeURIComponent(signInLink)}`);
    await page.getByRole('heading', { name: 'Playground' }).waitFor();
    grace = { invoiceId: invoice.id as string, session: await page.context().storageState() };
    gracePaid.settle();
    expect(problems).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('back office on operator sessions, pages by role: sales provisions and hands over, support sees failures, finance closes, revenue, reconciliation', async () => {
    // Operator keys are for the API and CLI: the browser refuses them.
    const problems: string[] = [];
    const tracked = async () => {
      const opened = await open();
      opened.page.on('pageerror', (e) => problems.push(e.message));
      opened.page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
      });
      return opened;
    };
    const refusesKey = async () => {
      const { page: keyPage } = await tracked();
      await keyPage.goto(`${app.url}/console/`);
      await keyPage.getByText('Use an API key').click();
      await keyPage.getByLabel('API key').fill(app.operatorKey);
      await keyPage.getByRole('button', { name: 'Sign in with the key' }).click();
      await keyPage.getByText(/Operators sign in to the back office by email link/).waitFor();
      await keyPage.context().close();
    };
    // Each role's operator signs in in a browser of their own, side by side; each is shown their role's pages.
    const signedIn = async (role: string) => {
      const { page } = await tracked();
      return { page, pages: await operatorSignIn(page, role) };
    };
    const [, sales, supportIn, financeIn, adminIn] = await Promise.all([
      refusesKey(),
      signedIn('sales'),
      signedIn('support'),
      signedIn('finance'),
      signedIn('admin'),
    ]);
    expect(sales.pages).toEqual(['Tenants']);
    expect(supportIn.pages).toEqual(['Tenants', 'Support']);
    expect(financeIn.pages).toEqual(['Tenants', 'Treasury', 'Revenue', 'Reconciliation']);
    expect(adminIn.pages).toContain('Admin');

    // Sales.
    const page = sales.page;
    await page.getByLabel('Company name').fill('Acme Enterprise');
    await page.getByLabel('Monthly base (USD)').fill('2500');
    await page.getByLabel('Included video-seconds a month').fill('50000');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    const first = await page.getByLabel('First API key').inputValue();
    const me = (await (await app.request('/v1/me', { key: first })).json()) as { tenant: { id: string } };
    const acmeId = me.tenant.id;
    const contract = await app.request(`/v1/admin/tenants/${acmeId}/contract`, { key: app.operatorKey });
    expect(await contract.json()).toMatchObject({ data: [{ base_amount: 250_000, included_video_seconds: 50_000, effective_from: expect.any(String) }] });
    await page.locator('tr', { hasText: 'Acme Enterprise' }).waitFor();
    // The sales operator's own session made it: the audit log names the operator.
    const [created] = await app.sql("select actor_type from audit_log where action = 'tenant.created' and target_id = $1", [acmeId]);
    expect(created).toMatchObject({ actor_type: 'operator' });
    const acme = page.locator('tr', { hasText: 'Acme Enterprise' });
    await acme.getByRole('button', { name: /Suspend/ }).click();
    await acme.getByText('suspended').waitFor();
    expect((await app.request('/v1/me', { key: first })).status).toBe(403);
    await acme.getByRole('button', { name: /Resume/ }).click();
    await acme.getByText('active').waitFor();
    expect((await app.request('/v1/me', { key: first })).status).toBe(200);
    // Acme's videos for support, made while sales hands the tenant over (no browser of theirs renders meanwhile).
    const takes = Promise.all([adaRendered.settled, hopperRendered.settled]).then(() => acmeTakes(first, acmeId));
    if (claimLinksOnMain) {
      // Hand-over: a claim link for the customer's owner, opened in the customer's own browser.
      const handover = page.locator(`[data-claim-tenant="${acmeId}"]`);
      await handover.getByLabel("Customer's email").fill('cto@acme.example');
      await handover.getByRole('button', { name: 'Make a claim link' }).click();
      const url = await handover.getByLabel('Claim link', { exact: true }).inputValue();
      const { page: customer } = await tracked();
      await customer.goto(`${app.url}/console/claim?token=${encodeURIComponent(new URL(url).searchParams.get('token')!)}`);
      await customer.getByRole('navigation', { name: 'Main' }).waitFor();
      const session = (await (await customer.request.get(`${app.url}/v1/session`)).json()) as { tenant_id: string; role: string; email: string };
      expect(session).toMatchObject({ tenant_id: acmeId, role: 'owner', email: 'cto@acme.example' });
      await customer.context().close();
      await page.getByRole('button', { name: 'Claim links of Acme Enterprise' }).click();
      await handover.locator('tr', { hasText: 'cto@acme.example' }).getByText('accepted', { exact: true }).waitFor();
      // A second link, withdrawn before use, no longer works.
      await handover.getByLabel("Customer's email").fill('cfo@acme.example');
      await handover.getByRole('button', { name: 'Make a claim link' }).click();
      const withdrawn = new URL(await handover.getByLabel('Claim link', { exact: true }).inputValue()).searchParams.get('token')!;
      page.once('dialog', (d) => void d.accept());
      await handover.getByRole('button', { name: /Revoke the link for cfo@acme.example/ }).click();
      await handover.locator('tr', { hasText: 'cfo@acme.example' }).getByText('revoked', { exact: true }).waitFor();
      expect((await app.request(`/v1/claim-links/${encodeURIComponent(withdrawn)}/accept`, { method: 'POST' })).status).toBeGreaterThanOrEqual(400);
    }
    await axe(page, 'back office tenants');
    await shot(page, 'back-office-tenants');
    await page.context().close();

    const { failedId, expiredId } = await takes;
    const support = supportIn.page;
    await nav(support, 'Support');
    await support.getByLabel('Tenant', { exact: true }).selectOption(acmeId);
    const code = support.getByRole('table', { name: 'Failures by error code' }).locator('tr[data-code="output_invalid"]');
    await code.waitFor();
    expect(await code.locator('td').nth(1).textContent()).toBe('1');
    await code.getByRole('button').click();
    await support
      .getByRole('table', { name: 'Tenant videos' })
      .locator(`tr[data-video-id="${failedId}"]`)
      .getByText(/output_invalid/)
      .waitFor();
    expect(await support.getByLabel('Status').inputValue()).toBe('failed');
    await support
      .getByRole('table', { name: 'Moderation events' })
      .locator(`tr[data-tenant-id="${acmeId}"]`)
      .getByText(/violent_extremism/)
      .waitFor();
    await axe(support, 'back office support');
    await shot(support, 'back-office-support');
    // Under `expired`: the take that waited too long, with its reason, and nothing else.
    await support.getByRole('textbox', { name: 'Error code' }).fill('');
    await support.getByRole('textbox', { name: 'Error code' }).press('Tab');
    const expiredOnly = support.waitForResponse((r) => /\/videos\?.*status=expired/.test(r.url()) && !r.url().includes('error_code'));
    await support.getByLabel('Status').selectOption('expired');
    await expiredOnly;
    const tenantVideos = support.getByRole('table', { name: 'Tenant videos' });
    await tenantVideos
      .locator(`tr[data-video-id="${expiredId}"]`)
      .getByText(/^queue_deadline_passed: /)
      .waitFor();
    await support.waitForFunction(`document.querySelectorAll('table[aria-label="Tenant videos"] tbody tr').length === 1`);
    await support.context().close();

    // Admin, while finance works: the ranked models (the configured reference model serves), backends, rollouts and operators.
    const admin = adminIn.page;
    const adminDone = (async () => {
      await nav(admin, 'Admin');
      await admin.getByRole('table', { name: 'Ranked models' }).locator('tr[data-rank="1"]').getByText('leoma/reference-i2v').waitFor();
      // The backend that rendered every video of this file (their provenance names it).
      await admin
        .getByRole('list', { name: 'Backends' })
        .locator('li[data-backend-id="cfg_default"]')
        .getByText(/circuit closed/)
        .waitFor();
      await admin.getByRole('list', { name: 'Operators' }).getByText('sales@staff.example').waitFor();
      // Rollout state: none was started in this file.
      await admin.getByRole('region', { name: 'Model rollouts' }).getByText('No rollouts.').waitFor();
      await axe(admin, 'back office admin');
      await shot(admin, 'back-office-admin');
      await admin.context().close();
    })();

    // Finance: Acme's first invoice is paid (booked as the Stripe webhook books it), then the month before is closed.
    await gracePaid.settled;
    await allocate(app, { amountMinor: 250_000n, tenantId: acmeId, stripeInvoiceId: 'in_console_acme_1' });
    const finance = financeIn.page;
    // Grace's invoice (the billing test) was paid last month: its allocation is dated there, so the close below proves it.
    if (chain) await app.sql('UPDATE treasury_allocations SET created_at = $1 WHERE stripe_invoice_id = $2', [lastMonthMid(), grace!.invoiceId]);
    await nav(finance, 'Treasury');
    finance.once('dialog', (d) => void d.accept());
    await finance.getByRole('button', { name: /^Close \d{4}-\d{2}$/ }).click();
    const closed = finance.locator('tr[data-period]');
    await closed.waitFor();
    const period = (await closed.getAttribute('data-period'))!;
    const downloading = finance.waitForEvent('download');
    await closed.getByRole('button', { name: /CSV/ }).click();
    const file = await downloading;
    expect(file.suggestedFilename()).toBe(`statement-${period}.csv`);
    expect(readFileSync((await file.path())!, 'utf8').length).toBeGreaterThan(0);
    if (chain) {
      // TAO for Grace's share reaches the treasury's coldkey on chain (this month); finance records it on the page, then burns from it.
      const [share] = await app.sql('select amount_minor::int as minor from treasury_allocations where stripe_invoice_id = $1', [grace!.invoiceId]);
      chain.node.dateBlocksFrom(Date.now());
      const transfer = await transferToTreasury(chain.node, chain.coldkey, 49_000_000n);
      const recordForm = finance.getByRole('form', { name: 'Record a funding' });
      await recordForm.getByLabel('Block number').fill(String(transfer.blockNumber));
      await recordForm.getByLabel('Extrinsic index').fill(String(transfer.index));
      await recordForm.getByLabel(/Extrinsic hash/).fill(transfer.hash);
      await recordForm.getByLabel('Paid').fill(((share!.minor as number) / 100).toFixed(2));
      await recordForm.getByLabel('Rate per TAO').fill('1');
      await recordForm.getByLabel('Rate source').fill('otc desk quote');
      await recordForm.getByLabel('Bought from').fill('otc');
      await recordForm.getByLabel('Reference').fill('otc-console');
      // A hash that is not one fails the field's own check in the browser (the form does not submit).
      await recordForm.getByLabel(/Extrinsic hash/).fill('0x12');
      await recordForm.locator('#funding-hash:invalid').waitFor();
      await recordForm.getByLabel(/Extrinsic hash/).fill(transfer.hash);
      // A rate that does not fit the chain's amount: the API's refusal (detail and code), and the rate that does fit offered.
      await recordForm.getByRole('button', { name: 'Record funding' }).click();
      await recordForm
        .getByRole('alert')
        .getByText(/differs from the transferred 49000000 RAO/)
        .waitFor();
      expect(await recordForm.getByTestId('problem-code').textContent()).toBe('funding_rate_mismatch');
      await axe(finance, 'back office treasury, a funding refused');
      await recordForm.getByRole('button', { name: 'Use this rate' }).click();
      await recordForm.getByRole('button', { name: 'Record funding' }).click();
      const fundingId = (await recordForm.getByTestId('funding-recorded').locator('code').textContent())!;
      await finance
        .getByRole('table', { name: 'Fundings' })
        .locator(`tr[data-funding-id="${fundingId}"]`, { hasText: 'otc-console' })
        .getByText(`block ${transfer.blockNumber}, extrinsic ${transfer.index}`, { exact: true })
        .waitFor();
      const recorded = (await (await app.request(`/v1/treasury/fundings`, { key: app.operatorKey })).json()) as { data: Record<string, unknown>[] };
      expect(recorded.data.find((f) => f.id === fundingId)).toMatchObject({
        amount_rao: '49000000',
        fiat_minor: share!.minor,
        external_reference: 'otc-console',
        transfer: { block_number: transfer.blockNumber, extrinsic_index: transfer.index },
      });
      const periods = (await (await app.request('/v1/treasury/periods', { key: app.operatorKey })).json()) as {
        data: { period: string; merkle_root: string }[];
      };
      const root = periods.data.find((p) => p.period === period)!.merkle_root;
      expect(await closed.getByTestId('merkle-root').textContent()).toContain(root);
      expect(await closed.getByTestId('period-anchor').textContent()).toBe('the next burn carries it');
      await finance.getByRole('button', { name: 'Burn now' }).click();
      await finance.getByTestId('burn-run').getByText('A burn was planned.').waitFor();
      const burnRow = finance.locator('li[data-burn-id]');
      await burnRow.getByText('finalized', { exact: true }).waitFor();
      const burnId = (await burnRow.getAttribute('data-burn-id'))!;
      const burn = (await (await app.request(`/v1/treasury/burns/${burnId}`, { key: app.operatorKey })).json()) as {
        block_number: number;
        extrinsic_index: number;
      };
      const onChain = `block ${burn.block_number}, extrinsic ${burn.extrinsic_index}`;
      // The closed month's root rides in that burn's memo: the month's row names it, where the chain has it.
      await closed.getByTestId('period-anchor').getByText(onChain).waitFor();
      expect(await closed.getByTestId('period-anchor').textContent()).toContain(burnId);
      await burnRow.getByRole('button', { name: /Verify on chain/ }).click();
      await burnRow.locator('[data-testid="verification"][data-ok="true"]').getByText('Valid').waitFor();

      // Grace, in her own browser, finds the same root and anchor on her invoice's burn proof, and its check says valid.
      const customer = await (await browser.newContext({ storageState: grace!.session })).newPage();
      await customer.goto(`${app.url}/console/billing`);
      const proof = customer.getByTestId(`burn-proof-${grace!.invoiceId}`);
      await proof.getByText(/allocation/).click();
      expect(await proof.locator('code.digest').first().textContent()).toBe(root);
      expect(await proof.getByTestId('burn-anchor').textContent()).toMatch(new RegExp(`${burnId}\\s*finalized · ${onChain}`));
      await axe(customer, 'billing with a burn proof');
      await shot(customer, 'billing-burn-proof');
      await customer.goto(new URL((await proof.getByRole('link', { name: /Verify this proof/ }).getAttribute('href'))!, app.url).href);
      expect(await customer.locator('#proof-result').getAttribute('data-ok')).toBe('true');
      expect(await customer.locator('#proof-result').textContent()).toContain(`Valid: the root is in the memo of burn ${burnId}`);
      await customer.context().close();
    }
    await axe(finance, 'back office treasury');
    await shot(finance, 'back-office-finance');

    await nav(finance, 'Revenue');
    // This month's net is every paid invoice of the file's tenants; Acme's is one of its entries.
    expect(await finance.getByTestId('net-usd').textContent()).toMatch(/^\$[\d,]+\.\d\d$/);
    const entry = finance.getByRole('table', { name: 'Revenue entries' }).locator('tr', { hasText: 'in_console_acme_1' });
    expect(await entry.textContent()).toContain('$2,500.00');
    expect(await entry.textContent()).toContain(acmeId);
    await axe(finance, 'back office revenue');
    await shot(finance, 'back-office-revenue');

    await nav(finance, 'Reconciliation');
    await finance.getByTestId('treasury-balanced').waitFor();
    expect(await finance.getByRole('list', { name: 'Treasury checks' }).locator('li').count()).toBeGreaterThan(0);
    await finance.getByTestId('usage-recon').waitFor();
    await finance.getByTestId('money-recon').waitFor();
    await axe(finance, 'back office reconciliation');
    await shot(finance, 'back-office-reconciliation');
    await finance.context().close();

    await adminDone;
    expect(problems).toEqual([]);
  }, 180_000);
});
