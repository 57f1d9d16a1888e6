import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';
import { sharedBuild } from '../support/shared-build.js';
import { allocate, financeKey, fundFromChain, landedBurns, waitForBurn } from '../support/treasury.js';
import { BurnExecutor } from '../../src/treasury/burn-executor.service.js';
import { TreasuryKey } from '../../src/treasury/treasury-key.service.js';
import { treasuryEnv } from '../../src/treasury/treasury.env.js';
import { TreasuryModule, TreasuryWorkerModule } from '../../src/treasury/treasury.module.js';
import { brokenTreasuryInvariants } from '../reliability/invariants.js';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QueueName } from '../../src/platform/queue/queue-names.js';

const TAO = 1_000_000_000n;

/** Runs the built worker with this file's environment plus `env` and resolves with its exit code and output once it exits. */
async function workerExit(build: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [`${build}/src/app/main-worker.js`], {
    env: { ...process.env, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { code, output };
}

/**
 * The treasury signing secret lives in the worker alone: the API starts, serves every treasury read
 * and queues burn runs without it; the worker refuses to start with live burns and no usable key.
 */
describe.skipIf(!hasMetadata())('the treasury key is the worker’s alone', () => {
  let node: FakeSubtensor;
  let app: TestApp;
  let key: string;
  let coldkey: string;

  beforeAll(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    coldkey = keyring.addFromUri('//Alice').address;
    node = new FakeSubtensor();
    node.author.fund(coldkey, 10n * TAO);
    delete process.env.TREASURY_SIGNER_SECRET;
    // Live burns configured, and no secret in this (the API's) environment.
    app = await startTestApp({
      env: {
        SUBTENSOR_WS_URL: await node.start(),
        SUBNET_NETUID: '99',
        TREASURY_BURNS_LIVE: 'true',
        TREASURY_COLDKEY: coldkey,
        TREASURY_HOTKEY: keyring.addFromUri('//Bob').address,
        TREASURY_POLL_MS: '20',
        TREASURY_ERA_PERIOD: '16',
        TREASURY_RUN_WAIT_MS: '300',
      },
    });
    key = await financeKey(app);
  });
  afterAll(async () => {
    await app?.close();
    await node?.stop();
  });

  it('the API starts without the secret, serves the treasury and queues a burn run for a worker; it has no signer', async () => {
    expect(process.env.TREASURY_SIGNER_SECRET).toBeUndefined();
    // Nothing in the API process can sign: the executor and the key are the worker module's providers only.
    const providers = (module: unknown) => Reflect.getMetadata('providers', module as object) as unknown[];
    expect(providers(TreasuryModule)).not.toContain(BurnExecutor);
    expect(providers(TreasuryModule)).not.toContain(TreasuryKey);
    expect(providers(TreasuryWorkerModule)).toEqual(expect.arrayContaining([BurnExecutor, TreasuryKey]));
    await allocate(app, { amountMinor: 20_000n, stripeInvoiceId: 'in_key_1' });
    const funded = await fundFromChain(app, key, node, { coldkey, rao: 50_000_000n, fiatMinor: 2_000, reference: 'otc-key-1' });
    expect(funded.status).toBe(201);
    const summary = await app.request('/v1/treasury/summary', { key });
    expect(summary.status).toBe(200);
    expect(await summary.json()).toMatchObject({ dry_run: false, pending_rao: '50000000' });
    for (const path of ['/v1/treasury/reconciliation', '/v1/treasury/allocations', '/v1/treasury/fundings', '/v1/treasury/burns', '/v1/public/burns'])
      expect((await app.request(path, { key })).status, path).toBe(200);
    // No worker yet: the run waits in the queue, and the answer says so.
    const res = await app.request('/v1/treasury/burns', { method: 'POST', key });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ object: 'burn_run', result: 'queued', dry_run: false, burn: null });
    // Asked again while that run still waits: no second run is queued.
    expect(await (await app.request('/v1/treasury/burns', { method: 'POST', key })).json()).toMatchObject({ result: 'queued', burn: null });
    expect(await app.api.get<Queue>(getQueueToken(QueueName.Treasury)).getWaitingCount()).toBe(1);
    expect(await app.sql('SELECT id FROM treasury_burns')).toEqual([]);
    expect(node.author.submissions).toHaveLength(0);
    const [audit] = await app.sql("SELECT after FROM audit_log WHERE action = 'treasury_burn.run' ORDER BY seq DESC LIMIT 1");
    expect(audit!.after).toEqual({ result: 'queued', dry_run: false });
  });

  it('a worker with the secret takes the queued run and burns the funds once; the next request gets its burn back', async () => {
    process.env.TREASURY_SIGNER_SECRET = '//Alice';
    treasuryEnv.reload();
    await app.startWorker();
    let burn: Record<string, any> | undefined;
    for (let i = 0; !burn && i < 400; i++) {
      [burn] = await app.sql("SELECT id FROM treasury_burns WHERE status <> 'dry_run'");
      if (!burn) await new Promise((r) => setTimeout(r, 25));
    }
    const done = await waitForBurn(app, key, burn!.id, (b) => ['finalized', 'failed', 'expired'].includes(b.status));
    expect(done).toMatchObject({ status: 'finalized', signer: coldkey, amount_rao: '50000000' });
    expect(landedBurns(node, coldkey)).toHaveLength(1);
    // With a worker running, a run asked for is planned by it and answered with its result.
    await allocate(app, { amountMinor: 20_000n, stripeInvoiceId: 'in_key_2' });
    expect((await fundFromChain(app, key, node, { coldkey, rao: 50_000_000n, fiatMinor: 2_000, reference: 'otc-key-2' })).status).toBe(201);
    treasuryEnv.reload();
    let res = await app.request('/v1/treasury/burns', { method: 'POST', key });
    for (let i = 0; res.status === 409 && i < 100; i++)
      res = await new Promise((r) => setTimeout(r, 50)).then(() => app.request('/v1/treasury/burns', { method: 'POST', key }));
    const run = (await res.json()) as { result: string; burn: Record<string, any> };
    expect(run).toMatchObject({
      result: 'planned',
      dry_run: false,
      burn: { status: expect.stringMatching(/^(planned|signed|submitted|in_block|finalized)$/), amount_rao: '50000000' },
    });
    expect(run.burn.allocations).toHaveLength(1);
    expect((await waitForBurn(app, key, run.burn.id, (b) => b.status === 'finalized')).signer).toBe(coldkey);
    expect(await brokenTreasuryInvariants(app, { chain: node, signer: coldkey })).toEqual([]);
  }, 30_000);

  it('a worker with live burns and no secret, or one that makes no key, refuses to start and says which setting (never its value)', async () => {
    const build = await sharedBuild();
    const missing = await workerExit(build, { TREASURY_BURNS_LIVE: 'true', TREASURY_SIGNER_SECRET: '' });
    expect(missing.code).toBe(78);
    expect(missing.output).toContain('TREASURY_SIGNER_KEYSTORE_FILE: a signing key is required on the worker while TREASURY_BURNS_LIVE is on');
    const wrong = 'seven words that are not a mnemonic at all';
    const bad = await workerExit(build, { TREASURY_BURNS_LIVE: 'true', TREASURY_SIGNER_SECRET: wrong });
    expect(bad.code).toBe(78);
    expect(bad.output).toContain('TREASURY_SIGNER_SECRET: not a valid sr25519 secret');
    expect(bad.output).not.toContain(wrong);
  }, 300_000);
});
