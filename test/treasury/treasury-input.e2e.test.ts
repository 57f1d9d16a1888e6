import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { FakeSubtensor, hasMetadata } from '../support/fake-subtensor.js';
import { allocate, financeKey, fundingBody, transferOnChain, type LandedTransfer } from '../support/treasury.js';
import { AllocationsService, shareOf } from '../../src/treasury/allocations.service.js';
import { brokenTreasuryInvariants } from '../reliability/invariants.js';

describe('treasury: bad input gets a clear problem', () => {
  let app: TestApp;
  let key: string;
  let node: FakeSubtensor | undefined;
  let coldkey = '';
  const noTransfer: LandedTransfer = { blockNumber: 1, index: 1, hash: `0x${'00'.repeat(32)}` };
  const funding = (json: Record<string, unknown>, transfer = noTransfer) =>
    app.request('/v1/treasury/fundings', { method: 'POST', key, json: { ...fundingBody(transfer, 1_000, 'usd', '400', 'ref-1'), ...json } });
  /** A transfer of `rao` into the coldkey on the test node. */
  const transfer = async (rao: bigint) => {
    const funder = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Dave');
    node!.author.fund(funder.address, 10n ** 12n);
    return transferOnChain(node!, funder, [{ to: coldkey, amount: rao }]);
  };

  beforeAll(async () => {
    // Live burns off: the chain is read for fundings only, and a burn run plans a dry run.
    const chain: Record<string, string> = {};
    if (hasMetadata()) {
      await cryptoWaitReady();
      coldkey = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice').address;
      node = new FakeSubtensor();
      Object.assign(chain, { SUBTENSOR_WS_URL: await node.start(), TREASURY_COLDKEY: coldkey });
    } else delete process.env.SUBTENSOR_WS_URL;
    // With a worker: a burn run is the worker's to do.
    app = await startTestApp({ worker: true, env: chain });
    key = await financeKey(app);
    await allocate(app, { amountMinor: 20_000n });
  });
  afterAll(async () => {
    await app?.close();
    await node?.stop();
  });

  it('rounds shares toward zero, so a full refund takes back exactly what was allocated', () => {
    expect(shareOf(999n, 1_000)).toBe(99n);
    expect(shareOf(-999n, 1_000)).toBe(-99n);
    expect(shareOf(10_000n, 1_000)).toBe(1_000n);
  });

  it('validates a funding field by field', async () => {
    const res = await funding({
      transfer_block_number: 1.5,
      transfer_extrinsic_index: -1,
      transfer_extrinsic_hash: '0x12',
      fiat_minor: -3,
      currency: 'dollars',
      rate: 'abc',
      rate_source: '',
      rate_read_at: 'yesterday',
      source: '',
      external_reference: undefined,
      amount_rao: '25000000',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; errors: { param: string }[] };
    expect(body.code).toBe('validation_failed');
    // The TAO amount is the chain's to say: a client's amount_rao is refused, not taken.
    expect([...new Set(body.errors.map((e) => e.param))].sort()).toEqual([
      'amount_rao',
      'currency',
      'external_reference',
      'fiat_minor',
      'rate',
      'rate_read_at',
      'rate_source',
      'source',
      'transfer_block_number',
      'transfer_extrinsic_hash',
      'transfer_extrinsic_index',
    ]);
  });

  it.skipIf(!hasMetadata())('refuses amounts that disagree with the rate, more than is allocated, and a reference twice', async () => {
    const quarter = await transfer(25_000_000n);
    expect(await (await funding({ rate: '500' }, quarter)).json()).toMatchObject({ status: 422, code: 'funding_rate_mismatch' });
    expect(await (await funding({ fiat_minor: 3_000 }, await transfer(75_000_000n))).json()).toMatchObject({
      status: 422,
      code: 'funding_exceeds_allocations',
      currency: 'usd',
      unfunded_minor: 2_000,
    });
    // Allocations in another currency do not make room: 2000 USD cents are allocated, no EUR.
    expect(await (await funding({ currency: 'eur' }, quarter)).json()).toMatchObject({
      status: 422,
      code: 'funding_exceeds_allocations',
      currency: 'eur',
      unfunded_minor: 0,
    });
    const created = (await (await funding({}, quarter)).json()) as { id: string; created_by: string };
    expect(created.id).toMatch(/^fnd_/);
    const audit = (await (await app.request('/v1/admin/audit-log?limit=5', { key: app.operatorKey })).json()) as { data: Record<string, any>[] };
    expect(audit.data.find((e) => e.target.id === created.id)).toMatchObject({ action: 'treasury_funding.created' });
    expect(await (await funding({}, await transfer(25_000_000n))).json()).toMatchObject({ status: 409, code: 'funding_duplicate_reference' });
  });

  it.skipIf(hasMetadata())('without a chain endpoint a funding is refused: its transfer cannot be read', async () => {
    expect(await (await funding({})).json()).toMatchObject({ status: 409, code: 'chain_not_configured' });
  });

  it('answers 404 for an unknown burn and 409 when a dry-run burn is verified', async () => {
    expect(await (await app.request('/v1/treasury/burns/brn_nope', { key })).json()).toMatchObject({ status: 404, code: 'burn_not_found' });
    const run = (await (await app.request('/v1/treasury/burns', { method: 'POST', key })).json()) as { burn: { id: string; status: string } };
    expect(run.burn.status).toBe('dry_run');
    expect(await (await app.request(`/v1/treasury/burns/${run.burn.id}/verify`, { method: 'POST', key })).json()).toMatchObject({
      status: 409,
      code: 'burn_not_on_chain',
    });
    expect(await (await app.request('/v1/treasury/burns/export?format=xml', { key })).json()).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('allocates an entry another process committed late with an older id: nothing is skipped', async () => {
    const entry = (id: string, invoice: string) =>
      app.sql(
        `INSERT INTO revenue_entries (id, tenant_id, kind, amount_minor, currency, stripe_object_id, stripe_invoice_id, occurred_at) VALUES ($1, 'ten_test', 'invoice_paid', 5000, 'usd', $2, $2, now())`,
        [id, invoice],
      );
    // A fast process commits its entry first; a slower one (an earlier id, or a clock behind) commits after the allocator ran.
    await entry('rev_7zzzzzzzzzzzzzzzzzzzzzzzzz', 'in_fast');
    await app.api.get(AllocationsService).sweep();
    await entry('rev_00000000000000000000000000', 'in_slow');
    expect(await app.api.get(AllocationsService).sweep()).toBe(1);
    const rows = await app.sql(
      `SELECT r.stripe_object_id FROM revenue_entries r WHERE NOT EXISTS (SELECT 1 FROM treasury_allocations a WHERE a.revenue_entry_id = r.id)`,
    );
    expect(rows).toEqual([]);
    expect(await brokenTreasuryInvariants(app)).toEqual([]);
  });
});
