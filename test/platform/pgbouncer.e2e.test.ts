import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { DataSource } from 'typeorm';
import { startPgBouncer, type RunningPgBouncer } from '../../tools/dev/pgbouncer.js';
import { createVideo, startTestApp, type TestApp } from '../support/test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { dataUri, makeImage } from '../support/images.js';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';
import { allocate, financeKey, fundFromChain, landedBurns, waitForBurn } from '../support/treasury.js';
import { brokenTreasuryInvariants } from '../reliability/invariants.js';
import { BurnExecutor, type BurnRun } from '../../src/treasury/burn-executor.service.js';
import { dataSourceOptions } from '../../src/app/database/data-source-options.js';
import { acquireLease, LeaseLost } from '../../src/platform/database/lease.js';

const TAO = 1_000_000_000n;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The API and two workers reach PostgreSQL only through Debian's PgBouncer (1.18) in transaction
 * pooling mode, with two server connections for their fifteen client ones, so consecutive
 * statements of one client land on different server sessions: what breaks session advisory locks
 * and named prepared statements. Video submit → dispatch → complete, the hot reads, webhooks and
 * live burns run through it; two burn runners started at once never overlap.
 */
describe('behind PgBouncer in transaction mode', () => {
  let bouncer: RunningPgBouncer;
  let app: TestApp;
  let receiver: WebhookReceiver;
  let node: FakeSubtensor | undefined;
  let coldkey = '';

  beforeAll(async () => {
    bouncer = await startPgBouncer({ serverUrl: inject('pgUrl'), poolSize: 2 });
    receiver = await startWebhookReceiver();
    let chainEnv: Record<string, string> = {};
    if (hasMetadata()) {
      await cryptoWaitReady();
      const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
      coldkey = keyring.addFromUri('//Alice').address;
      node = new FakeSubtensor({ blockMs: 100, finalityLag: 2 });
      node.author.fund(coldkey, 10n * TAO);
      chainEnv = {
        SUBTENSOR_WS_URL: await node.start(),
        SUBNET_NETUID: '99',
        TREASURY_BURNS_LIVE: 'true',
        TREASURY_SIGNER_SECRET: '//Alice',
        TREASURY_COLDKEY: coldkey,
        TREASURY_HOTKEY: keyring.addFromUri('//Bob').address,
        TREASURY_POLL_MS: '20',
        TREASURY_ERA_PERIOD: '32',
        TREASURY_BURN_SHARE_BPS: '1000',
      };
    }
    app = await startTestApp({
      worker: true,
      databaseUrl: bouncer.via,
      env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RELAY_INTERVAL_MS: '50', ...chainEnv },
    });
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await node?.stop();
    await bouncer?.stop();
  });

  it('a video is submitted, dispatched and completed; its reads and webhooks go through the pooler', async () => {
    const { key } = await app.tenant();
    const created = await app.request('/v1/webhook-endpoints', { method: 'POST', key, json: { url: receiver.url } });
    expect(created.status).toBe(201);
    const ids = await Promise.all([1, 2, 3].map(() => createVideo(app, key, dataUri(makeImage('png')))));
    // Polling is the hot read (straight on pg's pool), asked many times over many connections: every answer is a 200.
    const answers: number[] = [];
    for (const id of ids)
      for (let done = false; !done; ) {
        const res = await app.request(`/v1/videos/${id}`, { key }).catch((e: Error) => {
          throw new Error(`GET /v1/videos/${id} after ${answers.length} polls: ${e.message} (${String((e.cause as Error | undefined)?.message)})`);
        });
        answers.push(res.status);
        done = res.ok && ((await res.json()) as { status: string }).status === 'succeeded';
        if (!done) await pause(50);
      }
    expect(answers.filter((s) => s !== 200)).toEqual([]);
    const listed = await app.request('/v1/videos?limit=10', { key });
    expect(listed.status).toBe(200);
    const list = (await listed.json()) as { data: { id: string }[] };
    expect(list.data.map((v) => v.id).sort()).toEqual([...ids].sort());
    const got = await receiver.waitFor((r) => r.filter((x) => x.json.type === 'video.succeeded').length >= 3);
    expect(new Set(got.filter((r) => r.json.type === 'video.succeeded').map((r) => r.json.data.id))).toEqual(new Set(ids));
  });

  it('a lease is held by one holder at a time, is taken over only once expired, and fences the old holder out', async () => {
    const db = new DataSource(dataSourceOptions(bouncer.via(app.db.url), { poolMax: 4 }));
    await db.initialize();
    try {
      const name = `test:${Date.now()}`;
      // A lifetime long enough that a renewal queued behind the busy pooler on this shared machine still lands in time.
      const held = await Promise.all(Array.from({ length: 6 }, () => acquireLease(db, name, 20_000)));
      const first = held.find((l) => l !== null)!;
      expect(held.filter((l) => l !== null)).toHaveLength(1);
      // It renews itself while held: its expiry moves on, and nobody else gets it meanwhile.
      const expiry = async () => ((await db.query('select expires_at from leases where name = $1', [name])) as { expires_at: Date }[])[0]!.expires_at.getTime();
      const before = await expiry();
      for (const deadline = Date.now() + 30_000; (await expiry()) <= before && Date.now() < deadline; ) await pause(100);
      expect(await expiry()).toBeGreaterThan(before);
      expect(first.lost).toBe(false);
      expect(await acquireLease(db, name, 20_000)).toBeNull();
      await db.transaction((m) => first.fenced(m));
      // A holder that stopped renewing (a paused process) loses it to the next one, whose fence is higher.
      const stuck = await acquireLease(db, `${name}:stuck`, 1_000);
      await db.query(`update leases set expires_at = now() - interval '1 second' where name = $1`, [`${name}:stuck`]);
      const next = await acquireLease(db, `${name}:stuck`, 1_000);
      expect(BigInt(next!.fence)).toBe(BigInt(stuck!.fence) + 1n);
      await expect(db.transaction((m) => stuck!.fenced(m))).rejects.toBeInstanceOf(LeaseLost);
      expect(stuck!.lost).toBe(true);
      await Promise.all([first.release(), next!.release(), stuck!.release()]);
      expect(await acquireLease(db, name, 5_000)).not.toBeNull();
    } finally {
      await db.destroy();
    }
  });

  it.skipIf(!hasMetadata())(
    'two burn runners at once never overlap: one runs, the other is busy until it is over',
    async () => {
      const chain = node!;
      const financeOperator = await financeKey(app);
      const second = await app.startWorker();
      const runners = [app.worker!.get(BurnExecutor), second.get(BurnExecutor)];
      const nonce = chain.author.nonceOf(coldkey);
      await allocate(app, { amountMinor: 20_000n, stripeInvoiceId: 'in_pgbouncer_1' });
      const funded = await fundFromChain(app, financeOperator, chain, { coldkey, rao: 50_000_000n, fiatMinor: 2_000, reference: 'otc-pgbouncer-1' });
      expect(funded.status, await funded.clone().text()).toBe(201);
      // The node keeps the burn's transaction in its pool: the run stays in flight while the other runner tries.
      chain.author.next.push('hold');
      const runs: BurnRun[] = await Promise.all(runners.map((r) => r.run()));
      expect(runs.map((r) => r.reason).sort()).toEqual(['busy', 'planned']);
      const running = runs.find((r) => r.reason === 'planned')!;
      for (let i = 0; i < 10 && chain.author.pooled().length === 0; i++) await pause(100);
      for (let i = 0; i < 10; i++) {
        const again = await Promise.all(runners.map((r) => r.run()));
        expect(again.map((r) => r.reason)).toEqual(['busy', 'busy']);
      }
      chain.author.release();
      await running.done;
      const burn = await waitForBurn(app, financeOperator, running.burn!.id, (b) => b.status === 'finalized');
      expect(burn.status).toBe('finalized');
      expect(landedBurns(chain, coldkey, nonce)).toHaveLength(1);
      // Over: either runner may take the next run.
      const after = await runners[1]!.run();
      expect(after.reason).toBe('nothing_to_burn');
      expect(await app.sql(`select count(*)::int as n from treasury_burns where status <> 'dry_run'`)).toEqual([{ n: 1 }]);
      expect(await brokenTreasuryInvariants(app, { shareBps: 1000, chain, signer: coldkey })).toEqual([]);
    },
    60_000,
  );
});
