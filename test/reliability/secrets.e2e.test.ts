import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { setLogDestination } from '../../src/platform/logging/log-destination.js';
import { startTestApp, waitForStatus, type TestApp } from '../support/test-app.js';
import { sharedBuild, spawnBuilt, type BuiltProcess } from '../support/shared-build.js';
import { startStripeStub, type StripeStub } from '../support/stripe-stub/server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';
import { allocate, financeKey, fundFromChain, waitForBurn } from '../support/treasury.js';
import { dataUri, makeImage } from '../support/images.js';
import { until } from '../support/until.js';

/**
 * Issue 16, "Secrets": plant a unique value for every secret the service holds or hands out, run
 * the paths that touch them (keys, webhooks, a Stripe checkout and its signed webhook, a failing
 * Stripe and a failing GPU backend, a treasury burn signed with the seed, bad input of every kind),
 * then grep everything the run left behind: the log lines of both roles, every response body and
 * webhook payload, and every column of every audit row. None may hold a planted value. The api runs
 * in this process (its lines captured from the log destination); the worker is a real process of
 * the production build, and everything it prints is its log.
 *
 * Responses that exist to hand a secret to its owner (a key's creation, an endpoint's creation, GET
 * /v1/webhook-secret) are made before the recording starts; presigned URLs are the point of the
 * content and output responses, so their signatures are looked for in the logs and the audit only.
 */
/** The api's log lines. */
const logLines: string[] = [];
let worker: BuiltProcess | undefined;
/** Every response body (errors included) and webhook payload seen during the run. */
const bodies: { what: string; text: string }[] = [];
const TAO = 1_000_000_000n;
const image = dataUri(makeImage('png', '64x64'));

let app: TestApp;
let stub: StripeStub;
let receiver: WebhookReceiver;
let node: FakeSubtensor | undefined;
const stripeKey = `sk_test_${randomBytes(18).toString('hex')}`;
const stripeWebhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;
const treasurySeed = mnemonicGenerate(12);
const chain = hasMetadata();

beforeAll(async () => {
  setLogDestination(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    }),
  );
  stub = await startStripeStub({ secretKey: stripeKey, webhookSecret: stripeWebhookSecret });
  receiver = await startWebhookReceiver();
  const chainEnv: Record<string, string> = {};
  if (chain) {
    // The seed's own coldkey, funded on a local chain, so the burn below really loads and uses the signer.
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    node = new FakeSubtensor();
    node.author.fund(keyring.addFromUri(treasurySeed).address, 10n * TAO);
    Object.assign(chainEnv, {
      SUBTENSOR_WS_URL: await node.start(),
      SUBNET_NETUID: '99',
      TREASURY_BURNS_LIVE: 'true',
      TREASURY_SIGNER_SECRET: treasurySeed,
      TREASURY_COLDKEY: keyring.addFromUri(treasurySeed).address,
      TREASURY_HOTKEY: keyring.addFromUri('//Bob').address,
      TREASURY_POLL_MS: '20',
      TREASURY_ERA_PERIOD: '8',
    });
  } else {
    // No runtime metadata here: the seed is still configured (and must still stay out of every output).
    chainEnv.TREASURY_SIGNER_SECRET = treasurySeed;
  }
  const [build] = await Promise.all([sharedBuild(), cryptoWaitReady()]);
  app = await startTestApp({
    // Both roles at their most verbose: a secret in a debug line is still a leak.
    logger: ['verbose'],
    env: {
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'verbose',
      VIDEO_MAX_ATTEMPTS: '1',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RELAY_INTERVAL_MS: '50',
      ...stub.serviceEnv(),
      METER_RELAY_INTERVAL_MS: '50',
      METER_RETRY_BASE_MS: '50',
      METER_RETRY_MAX_MS: '100',
      ...chainEnv,
    },
  });
  stub.setWebhookTarget(`${app.url}/v1/stripe/webhooks`);
  // startTestApp put this file's database, queue prefix, bucket and the env above in process.env.
  worker = await spawnBuilt(build, 'src/app/main-worker.js', 'leoma worker started');
}, 300_000); // the shared build may still be compiling for another file
afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await app?.close();
  await stub?.close();
  await receiver?.close();
  await node?.stop();
  setLogDestination(undefined);
});

/** A response, its body kept for the grep (read from a clone, so the caller can still read it). */
async function recorded(what: string, res: Response): Promise<Response> {
  bodies.push({ what: `${what} → ${res.status}`, text: `${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${await res.clone().text()}` });
  return res;
}
const call = async (path: string, init: Parameters<TestApp['request']>[1] = {}) => recorded(`${init.method ?? 'GET'} ${path}`, await app.request(path, init));

describe('secrets after an e2e run', () => {
  const planted: Record<string, string> = {};
  const signatures: string[] = [];
  /** Looked for in the logs and the audit only: presigned URLs are the point of some responses (and s3rver's secret is its access key id). */
  const storeSecrets = () => [...signatures.map((s) => ['presigned signature', s] as const), ['S3 secret', process.env.S3_SECRET_ACCESS_KEY!] as const];

  beforeAll(async () => {
    // Handed out once to their owners; everything after this is recorded.
    const { tenantId, key } = await app.tenant({ plan: 'pro', limits: { requests_per_minute: 100_000 } });
    const testKey = (
      (await (await app.request(`/v1/admin/tenants/${tenantId}/api-keys`, { method: 'POST', key: app.operatorKey, json: { mode: 'test' } })).json()) as {
        secret: string;
      }
    ).secret;
    const webhookSecret = ((await (await app.request('/v1/webhook-secret', { key })).json()) as { secret: string }).secret;
    const endpoint = (await (
      await app.request('/v1/webhook-endpoints', { method: 'POST', key, json: { url: receiver.url, enabled_events: ['video.succeeded', 'video.failed'] } })
    ).json()) as { id: string; secret: string };
    const finance = await financeKey(app);
    Object.assign(planted, {
      'live API key': key,
      'test API key': testKey,
      'operator key': app.operatorKey,
      'finance operator key': finance,
      'webhook secret': webhookSecret,
      'webhook endpoint secret': endpoint.secret,
      'Stripe secret key': stripeKey,
      'Stripe webhook signing secret': stripeWebhookSecret,
      'treasury seed': treasurySeed,
      'API key hash secret': process.env.API_KEY_HASH_SECRET!,
    });

    // Billing: the catalogue, a Checkout paid in the "browser", the signed webhooks it sends.
    expect((await call('/v1/admin/billing/sync-catalog', { method: 'POST', key: app.operatorKey })).status).toBe(200);
    const checkout = await call('/v1/billing/checkout', { method: 'POST', key, json: { plan: 'pro' } });
    expect(checkout.status).toBe(201);
    expect((await recorded('pay checkout', await fetch(((await checkout.json()) as { url: string }).url, { method: 'POST', redirect: 'manual' }))).status).toBe(
      303,
    );
    await until(
      'subscription mirrored',
      async () => (await app.sql("select 1 from billing_accounts where tenant_id = $1 and subscription_status = 'active'", [tenantId])).length > 0,
    );
    expect((await call('/v1/billing', { key })).status).toBe(200);

    // A video that succeeds (webhook, content, output URL) while Stripe fails its meter event
    // three times: the SDK's own two retries, then the relay records the failure and tries again.
    stub.faultMeterEvents('error', 3);
    const ok = await call('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } });
    expect(ok.status).toBe(202);
    const okId = ((await ok.json()) as { id: string }).id;
    const video = await waitForStatus(app, key, okId, ['succeeded']);
    await call(`/v1/videos/${okId}`, { key });
    const content = await call(`/v1/videos/${okId}/content`, { key });
    signatures.push(...[video.output.url as string, content.headers.get('location')!].map((u) => new URL(u).searchParams.get('X-Amz-Signature')!));
    await until('meter event accepted after the failures', async () => stub.meterEvents.has(okId));
    expect(await app.sql('select meter_attempts from usage_records where video_id = $1', [okId])).toEqual([{ meter_attempts: 2 }]);

    // A GPU backend that fails: the video's error reaches the customer, the webhook and the logs.
    app.backend.configure({ failRate: 1 });
    const bad = await call('/v1/videos', { method: 'POST', key, json: { prompt: 'p', image, duration_seconds: 1 } });
    const badId = ((await bad.json()) as { id: string }).id;
    expect((await waitForStatus(app, key, badId, ['failed'])).status).toBe('failed');
    app.backend.configure({ failRate: 0 });
    await call(`/v1/videos/${badId}`, { key });
    await until('both webhooks delivered', async () => receiver.received.length >= 2);
    for (const r of receiver.received) bodies.push({ what: 'webhook delivery', text: `${JSON.stringify(r.headers)}\n\n${r.body}` });

    // Bad input and wrong credentials, including secrets sent where they do not belong.
    await call('/v1/videos', { method: 'POST', key, headers: { 'content-type': 'application/json' }, body: `{"prompt": "${stripeKey}", "image": ` });
    await call('/v1/videos', {
      method: 'POST',
      key,
      json: { prompt: 'p', image: 'not an image', duration_seconds: 99, api_key: stripeKey, seed: treasurySeed },
    });
    await call('/v1/videos', { method: 'POST', key, body: 'image=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await call('/v1/me', { headers: { authorization: `Bearer ${stripeKey}` } });
    await call('/v1/me', { headers: { authorization: `Bearer ${treasurySeed}` } });
    await call('/v1/me', { headers: { authorization: `Bearer ${key.slice(0, -2)}xx` } });
    await call('/v1/admin/tenants', { key });
    await call('/v1/videos/vid_00000000000000000000000000', { key });
    await call('/v1/billing/checkout', { method: 'POST', key, json: { plan: 'platinum' } });
    await call('/v1/webhook-endpoints', { method: 'POST', key, json: { url: `ftp://${webhookSecret}@127.0.0.1/x` } });
    await call('/v1/treasury/fundings', { method: 'POST', key: finance, json: { transfer_block_number: 'lots', fiat_minor: -1, source: treasurySeed } });
    // Stripe webhooks: forged, unsigned, and one Leoma does not handle.
    await recorded(
      'forged Stripe webhook',
      await stub.send(stub.event('invoice.paid', { id: 'in_forged', object: 'invoice' }), { secret: `whsec_${randomBytes(24).toString('base64url')}` }),
    );
    await recorded(
      'unsigned Stripe webhook',
      await fetch(`${app.url}/v1/stripe/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    );
    await recorded('unhandled Stripe webhook', await stub.send(stub.event('customer.created', { id: 'cus_x', object: 'customer' })));

    // Objects that once carried a secret, read back.
    await call('/v1/webhook-endpoints', { key });
    await call(`/v1/webhook-endpoints/${endpoint.id}`, { key });
    await call('/v1/api-keys', { key });
    await call(`/v1/admin/tenants/${tenantId}`, { key: app.operatorKey });
    await call(`/v1/admin/audit-log?limit=100`, { key: app.operatorKey });

    // Treasury: revenue allocated, funded, a burn signed with the seed and followed to the chain.
    if (chain) {
      await allocate(app, { amountMinor: 20_000n, tenantId });
      const funded = await fundFromChain(app, finance, node!, {
        coldkey: new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(treasurySeed).address,
        rao: 50_000_000n,
        fiatMinor: 2_000,
        reference: 'otc-secrets',
      });
      expect((await recorded('POST /v1/treasury/fundings', funded)).status).toBe(201);
      const run = await call('/v1/treasury/burns', { method: 'POST', key: finance });
      const { burn } = (await run.json()) as { dry_run: boolean; burn: { id: string } };
      const done = await waitForBurn(app, finance, burn.id, (b) => ['finalized', 'failed', 'expired'].includes(b.status));
      expect(done.status).toBe('finalized');
      await call(`/v1/treasury/burns/${burn.id}`, { key: finance });
      await call('/v1/treasury/burns', { key: finance });
    }
    // A graceful stop, so its last lines are written too.
    worker!.child.kill('SIGTERM');
    expect(await worker!.exited).toBe(0);
  }, 120_000);

  it('planted distinct values and ran the paths that use them', () => {
    expect(Object.values(planted).every((v) => v.length >= 16)).toBe(true);
    expect(signatures.every((s) => s && s.length > 20)).toBe(true);
    expect(bodies.filter((b) => / → 4\d\d$/.test(b.what.split('\n')[0]!)).length).toBeGreaterThanOrEqual(12);
    // Both roles logged; the worker ran both videos and retried the meter events Stripe failed.
    expect(logLines.length).toBeGreaterThan(50);
    const workerLines = worker!
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(workerLines.every((l) => l.role === 'worker')).toBe(true);
    expect(workerLines.filter((l) => l.job === 'video.generate').length).toBeGreaterThanOrEqual(2);
    expect(stub.meterEventCalls).toBeGreaterThanOrEqual(4);
  });

  it('no log line of either role holds a planted value or a presigned signature', () => {
    const lines = [...logLines, ...worker!.output().split('\n')];
    for (const [name, value] of [...Object.entries(planted), ...storeSecrets()]) {
      const leak = lines.find((l) => l.includes(value));
      expect(leak, `${name} was logged: ${leak?.slice(0, 600)}`).toBeUndefined();
    }
  });

  it('no response body (errors included) or webhook payload holds a planted value', () => {
    for (const [name, value] of Object.entries(planted)) {
      const leak = bodies.find((b) => b.text.includes(value));
      expect(leak, `${name} in ${leak?.what}: ${leak?.text.slice(0, 600)}`).toBeUndefined();
    }
  });

  it('no column of any audit row holds a planted value or a presigned signature', async () => {
    const rows = (await app.sql<{ row: string; action: string }>('select row_to_json(a)::text as row, a.action from audit_log a')).map((r) => r.row);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const [name, value] of [...Object.entries(planted), ...storeSecrets()]) {
      const leak = rows.find((r) => r.includes(value));
      expect(leak, `${name} in the audit log: ${leak?.slice(0, 600)}`).toBeUndefined();
    }
  });
});
