import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/isolation.js';
import { runMigrations } from '../../src/app/database/migrate.js';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';
import { financeKey, fundFromChain, waitForBurn } from '../support/treasury.js';
import { runCli } from '../../tools/cli/leoma.js';
import { RevenueLedgerService } from '../../src/billing/revenue/revenue-ledger.service.js';
import { AllocationsService } from '../../src/treasury/allocations.service.js';
import { brokenTreasuryInvariants } from '../reliability/invariants.js';
import { brokenTreasuryProofInvariants } from '../reliability/treasury-proof-invariants.js';

const TAO = 1_000_000_000n;
const exec = promisify(execFile);
const settled = (b: Record<string, any>) => ['finalized', 'failed', 'expired'].includes(b.status);
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Last month (UTC): the month the scenario's first activity is dated in, so it can be closed today. */
const now = new Date();
const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 10, 12));
const LAST = lastMonth.toISOString().slice(0, 7);
const THIS = now.toISOString().slice(0, 7);

describe.skipIf(!hasMetadata())('treasury policy, month close and invoice proofs against a subtensor test node', () => {
  let node: FakeSubtensor;
  let db: TestDatabase;
  let app: TestApp;
  let finance: string;
  let coldkey: string;
  let url: string;
  let a: { tenantId: string; key: string };
  let b: { tenantId: string; key: string };
  const ids: Record<string, string> = {};
  const burns: Record<string, Record<string, any>> = {};
  const dir = mkdtempSync(join(tmpdir(), 'leoma-proofs-'));

  /** A paid invoice (or refund) in billing's ledger, as the Stripe webhook records it, then the treasury's sweep. */
  const paid = async (tenantId: string, invoice: string, amountMinor: bigint, currency = 'usd') => {
    const ds = app.api.get<DataSource>(getDataSourceToken());
    await ds.transaction((m) =>
      app.api
        .get(RevenueLedgerService)
        .record(m, { tenantId, kind: 'invoice_paid', amountMinor, currency, stripeObjectId: invoice, stripeInvoiceId: invoice, occurredAt: new Date() }),
    );
    await app.api.get(AllocationsService).sweep();
    const [row] = await app.sql('SELECT id, policy_version, share_bps, amount_minor::int AS amount FROM treasury_allocations WHERE stripe_invoice_id = $1', [
      invoice,
    ]);
    ids[invoice] = row!.id;
    return row!;
  };
  /** TAO transferred into the coldkey on the test node, then recorded by finance: dated by the transfer's block. */
  const fund = (cents: number, rao: bigint, ref: string) => fundFromChain(app, finance, node, { coldkey, rao, fiatMinor: cents, reference: ref });
  const burnNow = async () => {
    let res = await app.request('/v1/treasury/burns', { method: 'POST', key: finance });
    for (let i = 0; res.status === 409 && i < 100; i++)
      res = await new Promise((r) => setTimeout(r, 50)).then(() => app.request('/v1/treasury/burns', { method: 'POST', key: finance }));
    expect(res.status).toBe(202);
    const run = (await res.json()) as { burn: Record<string, any> | null };
    return waitForBurn(app, finance, run.burn!.id, settled);
  };
  const cli = async (...args: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli(
      ['treasury', ...args],
      { LEOMA_API_URL: app.url, LEOMA_API_KEY: finance },
      { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) },
    );
    return { code, out, err };
  };
  const proofOf = async (key: string, invoice: string) => app.request(`/v1/billing/invoices/${invoice}/burn-proof`, { key });

  beforeAll(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    coldkey = keyring.addFromUri('//Alice').address;
    node = new FakeSubtensor();
    node.author.fund(coldkey, 10n * TAO);
    url = await node.start();
    db = await createTestDatabase();
    await runMigrations(db.url);
    app = await startTestApp({
      db,
      worker: true,
      env: {
        SUBTENSOR_WS_URL: url,
        SUBNET_NETUID: '99',
        TREASURY_BURNS_LIVE: 'true',
        TREASURY_SIGNER_SECRET: '//Alice',
        TREASURY_COLDKEY: coldkey,
        TREASURY_HOTKEY: keyring.addFromUri('//Bob').address,
        TREASURY_POLL_MS: '20',
        TREASURY_BURN_SHARE_BPS: '1000',
        TREASURY_MAX_SLIPPAGE_BPS: '100',
        TREASURY_ONCHAIN_MEMO: 'true',
      },
    });
    finance = await financeKey(app);
    a = await app.tenant();
    b = await app.tenant();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await node?.stop();
    await db?.drop();
  });

  it('seeds policy version 1 from the settings; finance adds version 2 through the CLI, audited; each allocation names the version it used', async () => {
    const before = (await (await app.request('/v1/treasury/policies', { key: finance })).json()) as Record<string, any>;
    expect(before.in_effect).toMatchObject({
      version: 1,
      share_bps: 1000,
      max_slippage_bps: 100,
      burn_interval_ms: 0,
      min_burn_rao: '3000000',
      created_by: 'system',
    });
    expect(await paid(a.tenantId, 'in_p1', 10_000n)).toMatchObject({ policy_version: 1, share_bps: 1000, amount: 1_000 });

    const set = await cli(
      'policy',
      'set',
      '--share-bps',
      '2000',
      '--max-slippage-bps',
      '200',
      '--min-burn-rao',
      '4000000',
      '--reason',
      'board decision: 20 %',
      '--json',
    );
    expect(set.code, set.err).toBe(0);
    const v2 = JSON.parse(set.out) as Record<string, any>;
    expect(v2).toMatchObject({
      version: 2,
      share_bps: 2000,
      max_slippage_bps: 200,
      min_burn_rao: '4000000',
      burn_interval_ms: 0,
      reason: 'board decision: 20 %',
    });
    const [audit] = await app.sql(`SELECT actor_type, actor_id, before, after FROM audit_log WHERE action = 'treasury_policy.created'`);
    expect(audit).toMatchObject({
      actor_type: 'operator',
      before: { version: 1, share_bps: 1000 },
      after: { version: 2, share_bps: 2000, reason: 'board decision: 20 %' },
    });
    expect(audit!.actor_id).toBe(v2.created_by);
    expect((await cli('policies')).out).toMatch(/2\s.*2000.*yes/);

    // Allocations from now on take version 2's share, and say so.
    expect(await paid(a.tenantId, 'in_p2', 20_000n)).toMatchObject({ policy_version: 2, share_bps: 2000, amount: 4_000 });
    const listed = (await (await app.request('/v1/treasury/allocations', { key: finance })).json()) as { data: Record<string, any>[] };
    expect(listed.data.map((x) => [x.stripe_invoice_id, x.policy_version])).toEqual([
      ['in_p2', 2],
      ['in_p1', 1],
    ]);

    // No backdating, and only finance or admin may change it.
    const back = await app.request('/v1/treasury/policies', {
      method: 'POST',
      key: finance,
      json: { share_bps: 5000, burn_interval_ms: 0, max_slippage_bps: 100, min_burn_rao: '4000000', effective_from: '2020-01-01T00:00:00Z', reason: 'x' },
    });
    expect(back.status).toBe(422);
    expect(((await back.json()) as { code: string }).code).toBe('policy_backdated');
    expect((await app.request('/v1/treasury/policies', { method: 'POST', key: a.key, json: {} })).status).toBeGreaterThanOrEqual(401);
    expect(await app.sql('SELECT max(version)::int AS v FROM treasury_burn_policies')).toEqual([{ v: 2 }]);
  });

  it('burns with the policy in effect: its slippage cap sets the limit price', async () => {
    // The scenario's first weeks happened last month: the chain's blocks from here on are dated there.
    node.dateBlocksFrom(lastMonth.getTime());
    const funded = await fund(5_000, 50_000_000n, 'otc-last');
    expect(funded.status).toBe(201);
    expect(((await funded.json()) as { received_at: string }).received_at.slice(0, 7)).toBe(LAST);
    const burn = await burnNow();
    expect(burn).toMatchObject({ status: 'finalized', amount_rao: '50000000', covered_minor: 5_000, price_rao: '5000000', limit_price_rao: '5100000' });
    burns.first = burn;
  });

  it(`closes ${LAST}: a late change is refused by the API and by the database; the statement is frozen per currency, as JSON and CSV`, async () => {
    // The current month's first invoice is made before the EUR one, so it is covered first by the next burn.
    await paid(a.tenantId, 'in_c1', 10_000n);
    await paid(b.tenantId, 'in_e1', 30_000n, 'eur');
    // The scenario's first weeks happened last month: the rows are dated there (before anything is closed); the funding already is, by its block.
    await app.sql(`UPDATE treasury_allocations SET created_at = $1 WHERE stripe_invoice_id = ANY($2)`, [lastMonth, ['in_p1', 'in_p2', 'in_e1']]);
    await app.sql(`UPDATE treasury_burns SET created_at = $1 WHERE id = $2`, [lastMonth, burns.first!.id]);

    expect(((await (await app.request(`/v1/treasury/periods/${THIS}/close`, { method: 'POST', key: finance })).json()) as { code: string }).code).toBe(
      'period_not_ended',
    );
    const closed = await cli('close', LAST, '--json');
    expect(closed.code, closed.err).toBe(0);
    const period = JSON.parse(closed.out) as Record<string, any>;
    expect(period).toMatchObject({ period: LAST, allocation_count: 3, anchored_by: null });
    expect(((await (await app.request(`/v1/treasury/periods/${LAST}/close`, { method: 'POST', key: finance })).json()) as { code: string }).code).toBe(
      'period_already_closed',
    );
    expect(await app.sql(`SELECT action, target_id FROM audit_log WHERE action = 'treasury_period.closed'`)).toEqual([
      { action: 'treasury_period.closed', target_id: LAST },
    ]);

    // Late changes: a funding whose transfer's block is dated in the closed month, and the same through SQL behind the service's back.
    const late = await fund(1_000, 10_000_000n, 'otc-late');
    expect(late.status).toBe(409);
    const refusal = (await late.json()) as { code: string; detail: string };
    expect(refusal.code).toBe('period_closed');
    // Dated by its block, in the closed month.
    expect(refusal.detail.startsWith(`${LAST}-`)).toBe(true);
    expect(await app.sql(`SELECT id FROM treasury_fundings WHERE external_reference = 'otc-late'`)).toEqual([]);
    await expect(app.sql(`UPDATE treasury_allocations SET amount_minor = 1 WHERE stripe_invoice_id = 'in_p1'`)).rejects.toThrow(/period_closed/);
    await expect(app.sql(`DELETE FROM treasury_burns WHERE id = $1`, [burns.first!.id])).rejects.toThrow(/period_closed/);
    await expect(
      app.sql(
        `INSERT INTO treasury_fundings (id, amount_rao, fiat_minor, currency, rate, rate_source, rate_read_at, source, external_reference, received_at, created_by) VALUES ('fnd_x', 1, 1, 'usd', '1', 'q', $1, 's', 'late-sql', $1, 'op')`,
        [lastMonth],
      ),
    ).rejects.toThrow(/period_closed/);
    await expect(app.sql(`UPDATE treasury_periods SET merkle_root = repeat('0', 64)`)).rejects.toThrow(/never changed/);
    // Re-reading the chain for a burn of a closed month is still allowed: only its verification changes.
    const verified = await app.request(`/v1/treasury/burns/${burns.first!.id}/verify`, { method: 'POST', key: finance });
    expect(((await verified.json()) as Record<string, any>).verification).toMatchObject({ ok: true });

    const json = await app.request(`/v1/treasury/periods/${LAST}/statement`, { key: finance });
    expect(json.status).toBe(200);
    const text = await json.text();
    expect(sha256(text)).toBe(period.statement_sha256);
    expect(json.headers.get('x-statement-sha256')).toBe(period.statement_sha256);
    const s = JSON.parse(text) as Record<string, any>;
    expect(s.currencies).toEqual([
      {
        currency: 'eur',
        opening_unfunded_minor: '0',
        opening_funded_unburned_minor: '0',
        revenue_minor: '30000',
        allocated_minor: '6000',
        funded_minor: '0',
        burned_minor: '0',
        closing_unfunded_minor: '6000',
        closing_funded_unburned_minor: '0',
      },
      {
        currency: 'usd',
        opening_unfunded_minor: '0',
        opening_funded_unburned_minor: '0',
        revenue_minor: '30000',
        allocated_minor: '5000',
        funded_minor: '5000',
        burned_minor: '5000',
        closing_unfunded_minor: '0',
        closing_funded_unburned_minor: '0',
      },
    ]);
    expect(s.tao).toMatchObject({ opening_unspent_rao: '0', funded_rao: '50000000', burned_tao_rao: '50000000', fees_rao: '123456', closing_unspent_rao: '0' });
    expect(s.allocations).toEqual({ count: 3, merkle_root: period.merkle_root, policy_versions: [1, 2] });
    expect(s.burns).toEqual([expect.objectContaining({ burn_id: burns.first!.id, tao_spent_rao: '50000000' })]);
    const csv = await cli('statement', LAST, '--format', 'csv');
    expect(csv.out).toContain(`${LAST},currency,eur,allocated_minor,6000`);
    expect(csv.out).toContain(`${LAST},currency,usd,burned_minor,5000`);
    expect(csv.out).toContain(`${LAST},allocations,,merkle_root,${period.merkle_root}`);
  });

  it("the next burn carries the statement's SHA-256 and the allocations' Merkle root in its on-chain memo (v2), and verifies", async () => {
    // Back to the present: this month's blocks.
    node.dateBlocksFrom(Date.now());
    expect((await fund(2_000, 20_000_000n, 'otc-this')).status).toBe(201);
    const burn = await burnNow();
    expect(burn.status).toBe('finalized');
    expect(burn.allocations).toEqual([{ allocation_id: ids.in_c1, stripe_invoice_id: 'in_c1', amount_minor: 2_000 }]);
    burns.second = burn;
    const [period] = ((await (await app.request('/v1/treasury/periods', { key: finance })).json()) as { data: Record<string, any>[] }).data;
    const sent = node.registry.createType('Extrinsic', node.author.submissions.at(-1)!.hex).method.toHuman() as {
      args: { calls: { method: string; args: Record<string, string> }[] };
    };
    expect(sent.args.calls[1]!.args.remark).toBe(`leoma-burn:v2:${burn.id}:${burn.memo_hash}:${LAST}:${period!.statement_sha256}:${period!.merkle_root}`);
    expect(period!.anchored_by).toMatchObject({
      burn_id: burn.id,
      status: 'finalized',
      block_number: burn.block_number,
      extrinsic_index: burn.extrinsic_index,
    });
    const verified = (await (await app.request(`/v1/treasury/burns/${burn.id}/verify`, { method: 'POST', key: finance })).json()) as Record<string, any>;
    expect(verified.verification).toMatchObject({ ok: true, mismatches: [] });
  });

  it("a customer reads its invoice's allocation, the burn it funded and the inclusion proof; another tenant's invoice is a 404", async () => {
    const res = await proofOf(a.key, 'in_p1');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { invoice_id: string; allocations: Record<string, any>[] };
    expect(body.invoice_id).toBe('in_p1');
    const [p] = body.allocations;
    expect(p).toMatchObject({
      allocation_id: ids.in_p1,
      amount_minor: 1_000,
      currency: 'usd',
      policy_version: 1,
      period: LAST,
      period_closed: true,
      leaf_count: 3,
    });
    // It paid a fifth of the first burn (1,000 of its 5,000 cents): a fifth of its TAO and alpha.
    expect(p!.burns).toEqual([
      {
        burn_id: burns.first!.id,
        status: 'finalized',
        block_number: burns.first!.block_number,
        extrinsic_index: burns.first!.extrinsic_index,
        amount_minor: 1_000,
        tao_rao: '10000000',
        alpha: (BigInt(burns.first!.alpha_burned) / 5n).toString(),
      },
    ]);
    expect(p!.anchor).toMatchObject({ burn_id: burns.second!.id, block_number: burns.second!.block_number, extrinsic_index: burns.second!.extrinsic_index });
    writeFileSync(join(dir, 'p1.json'), JSON.stringify(p));

    const other = await proofOf(b.key, 'in_p1');
    expect(other.status).toBe(404);
    expect(((await other.json()) as { code: string }).code).toBe('invoice_not_found');
    expect((await proofOf(a.key, 'in_e1')).status).toBe(404);
    expect((await proofOf(b.key, 'in_e1')).status).toBe(200);
    // This month is still open: the burn is there, the proof comes once the month is closed.
    const open = ((await (await proofOf(a.key, 'in_c1')).json()) as { allocations: Record<string, any>[] }).allocations[0]!;
    expect(open).toMatchObject({
      period: THIS,
      period_closed: false,
      leaf: null,
      path: [],
      anchor: null,
      burns: [expect.objectContaining({ burn_id: burns.second!.id, amount_minor: 2_000, tao_rao: '20000000' })],
    });
  });

  it('examples/verify-burn-proof.mjs verifies the proof from the chain alone, and rejects a tampered one', async () => {
    const ok = await exec(process.execPath, ['examples/verify-burn-proof.mjs', join(dir, 'p1.json')], { env: { ...process.env, SUBTENSOR_WS_URL: url } });
    expect(ok.stdout).toMatch(/^VALID: allocation alc_\w+ \(1000 usd, policy v1\) is in/);
    const proof = (await import('node:fs')).readFileSync(join(dir, 'p1.json'), 'utf8');
    const tampered = { amount_minor: 100_000 };
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify({ ...JSON.parse(proof), ...tampered }));
    const bad = await exec(process.execPath, ['examples/verify-burn-proof.mjs', join(dir, 'tampered.json')], {
      env: { ...process.env, SUBTENSOR_WS_URL: url },
    }).then(
      () => ({ code: 0, stdout: '' }),
      (e: { code: number; stdout: string }) => e,
    );
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^NOT VALID: root \w+ computed from the proof is not the memo's/);
  });

  it('the public /burns page checks a pasted proof against the memo: valid as given, not valid when tampered', async () => {
    const proof = (await import('node:fs')).readFileSync(join(dir, 'p1.json'), 'utf8');
    const page = await (await app.request(`/burns?proof=${encodeURIComponent(proof)}`)).text();
    expect(page).toMatch(/id="proof-result" data-ok="true">Valid: the root is in the memo of burn brn_/);
    expect(page).not.toContain(a.tenantId);
    const path = (JSON.parse(proof) as { path: { side: string; hash: string }[] }).path;
    const swapped = JSON.stringify({ ...JSON.parse(proof), path: [{ ...path[0]!, hash: '0'.repeat(64) }, ...path.slice(1)] });
    expect(await (await app.request(`/burns?proof=${encodeURIComponent(swapped)}`)).text()).toMatch(/data-ok="false">Not valid/);
    expect(await (await app.request(`/burns?proof=${encodeURIComponent('{"nope":1}')}`)).text()).toMatch(/data-ok="false">Not checked/);
  });

  it('keeps the invariants: per currency, per policy version, per closed period and its proof on chain', async () => {
    expect(await brokenTreasuryInvariants(app, { chain: node, signer: coldkey })).toEqual([]);
    expect(await brokenTreasuryProofInvariants(app, { chain: node })).toEqual([]);
  });
});
