import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { RevenueLedgerService } from '../../src/billing/revenue/revenue-ledger.service.js';
import type { RevenueKind } from '../../src/billing/revenue/revenue-entry.entity.js';
import { AllocationsService } from '../../src/treasury/allocations.service.js';
import type { TestApp } from './test-app.js';
import type { KeyringPair } from '@polkadot/keyring/types';
import { GENESIS, type FakeSubtensor } from './fake-subtensor.js';

/** A finance operator's key, created through the admin API as an admin would. */
export async function financeKey(app: TestApp): Promise<string> {
  const res = await app.request('/v1/admin/operators', {
    method: 'POST',
    key: app.operatorKey,
    json: { name: 'Finance', email: `finance-${Date.now()}@leoma.test`, role: 'finance' },
  });
  if (res.status !== 201) throw new Error(`finance operator not created: ${res.status}`);
  return ((await res.json()) as { secret: string }).secret;
}

let seq = 0;
/**
 * Records a revenue event in billing's ledger (as the Stripe webhook handler does) and runs the
 * treasury's allocator over the ledger; returns the new allocation's id, or null when the ledger
 * already had the event.
 */
export async function allocate(
  app: TestApp,
  entry: { amountMinor: bigint; currency?: string; kind?: RevenueKind; stripeInvoiceId?: string; stripeObjectId?: string; tenantId?: string },
): Promise<string | null> {
  seq++;
  const kind = entry.kind ?? 'invoice_paid';
  const invoice = entry.stripeInvoiceId ?? `in_test_${seq}`;
  const objectId = entry.stripeObjectId ?? (kind === 'invoice_paid' ? invoice : `re_test_${seq}`);
  const db = app.api.get<DataSource>(getDataSourceToken());
  const isNew = await db.transaction((m) =>
    app.api.get(RevenueLedgerService).record(m, {
      tenantId: entry.tenantId ?? 'ten_test',
      kind,
      amountMinor: entry.amountMinor,
      currency: entry.currency ?? 'usd',
      stripeObjectId: objectId,
      stripeInvoiceId: invoice,
      occurredAt: new Date(),
    }),
  );
  await app.api.get(AllocationsService).sweep();
  if (!isNew) return null;
  const [row] = await app.sql(
    'SELECT a.id FROM treasury_allocations a JOIN revenue_entries r ON r.id = a.revenue_entry_id WHERE r.kind = $1 AND r.stripe_object_id = $2',
    [kind, objectId],
  );
  return (row?.id as string | undefined) ?? null;
}

/** Polls a burn until `until` holds. */
export async function waitForBurn(
  app: TestApp,
  key: string,
  id: string,
  until: (b: Record<string, any>) => boolean,
  timeoutMs = 20_000,
): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const burn = (await (await app.request(`/v1/treasury/burns/${id}`, { key })).json()) as Record<string, any>;
    if (until(burn)) return burn;
    if (Date.now() > deadline) throw new Error(`burn ${id} still ${burn.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The treasury's burn transactions the test node included (add_stake_burn, alone or in a batch),
 * signed by `signer` with a nonce of at least `fromNonce`, oldest first.
 */
export function landedBurns(node: Pick<FakeSubtensor, 'blockAt' | 'best' | 'registry'>, signer: string, fromNonce = 0) {
  const out: { block: { number: number; hash: string }; index: number; hash: string; nonce: number }[] = [];
  for (let n = node.best.number - 1_000; n <= node.best.number; n++) {
    const block = node.blockAt(n);
    block?.extrinsics.forEach((hex, index) => {
      const ex = node.registry.createType('Extrinsic', hex);
      if (!ex.isSigned || ex.signer.toString() !== signer || ex.nonce.toNumber() < fromNonce) return;
      if (!burnCallIn(ex)) return;
      out.push({ block: { number: block.number, hash: block.hash }, index, hash: ex.hash.toHex(), nonce: ex.nonce.toNumber() });
    });
  }
  return out;
}

type CallLike = { section: string; method: string; args: unknown[] };

/** add_stake_burn: alone, in a Utility.batch_all, or inside a Proxy.proxy in either. */
function burnCallIn(ex: { method: CallLike }): boolean {
  const top = ex.method.section === 'utility' ? (ex.method.args[0] as CallLike[]) : [ex.method];
  const calls = top.map((c) => (c.section === 'proxy' && c.method === 'proxy' ? (c.args[2] as CallLike) : c));
  return calls.some((c) => c.section === 'subtensorModule' && c.method === 'addStakeBurn');
}

export interface LandedTransfer {
  blockNumber: number;
  index: number;
  hash: string;
}

/**
 * Signs `calls` (balances.transferKeepAlive(to, amount) for each entry; several go in one
 * Utility.batch_all) with `from`, as a wallet would, submits it to the test node and resolves once
 * the node has included it. `from` needs a balance: `node.author.fund(from.address, …)`.
 */
export async function transferOnChain(node: FakeSubtensor, from: KeyringPair, transfers: { to: string; amount: bigint }[]): Promise<LandedTransfer> {
  const tx = node.decorated.tx;
  const calls = transfers.map((t) => tx.balances!.transferKeepAlive!({ Id: t.to }, t.amount));
  const call = calls.length === 1 ? calls[0]! : tx.utility!.batchAll!(calls);
  const ex = node.registry.createType('Extrinsic', call);
  const birth = node.blockAt(node.best.number)!;
  ex.sign(from, {
    blockHash: birth.hash,
    genesisHash: GENESIS,
    era: node.registry.createType('ExtrinsicEra', { current: birth.number, period: 64 }),
    nonce: node.author.nextIndex(from.address),
    runtimeVersion: { specVersion: 424, transactionVersion: 1 } as never,
    signedExtensions: node.registry.signedExtensions,
  });
  const hash = ex.hash.toHex();
  const refused = node.author.submit(ex.toHex(), () => undefined, false);
  if (refused) throw new Error(`the test node refused the transfer: ${refused}`);
  for (let i = 0; i < 500; i++) {
    for (let n = node.best.number; n > node.best.number - 20; n--) {
      const index = node.blockAt(n)?.extrinsics.findIndex((x) => node.registry.createType('Extrinsic', x).hash.toHex() === hash) ?? -1;
      if (index >= 0) return { blockNumber: n, index, hash };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the transfer was not included');
}

/** Who pays the treasury in tests: //Ferdie, given plenty of TAO on first use. */
let ferdie: KeyringPair | undefined;

/**
 * Records a funding as finance does: `rao` is transferred into `coldkey` on the test node, the test
 * waits until that block is finalized, then POSTs the funding for it with `fiatMinor` of `currency`
 * (the rate is what the two amounts make). Returns the response.
 */
export async function fundFromChain(
  app: TestApp,
  key: string,
  node: FakeSubtensor,
  f: { coldkey: string; rao: bigint; fiatMinor: number; reference: string; currency?: string },
): Promise<Response> {
  const transfer = await transferToTreasury(node, f.coldkey, f.rao);
  // currency per TAO with 9 decimals: fiat / 100 / (rao / 1e9).
  const scaled = (BigInt(f.fiatMinor) * 10n ** 16n) / f.rao;
  const rate = `${scaled / 10n ** 9n}.${(scaled % 10n ** 9n).toString().padStart(9, '0')}`;
  return app.request('/v1/treasury/fundings', { method: 'POST', key, json: fundingBody(transfer, f.fiatMinor, f.currency ?? 'usd', rate, f.reference) });
}

/** `rao` transferred into `coldkey` on the test node by //Ferdie; resolves once its block is finalized (a funding may then name it). */
export async function transferToTreasury(node: FakeSubtensor, coldkey: string, rao: bigint): Promise<LandedTransfer> {
  if (!ferdie) {
    const { Keyring } = await import('@polkadot/api');
    ferdie = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Ferdie');
  }
  if (node.author.balanceOf(ferdie.address) < rao + 1_000_000_000n) node.author.fund(ferdie.address, 1_000_000n * 1_000_000_000n);
  const transfer = await transferOnChain(node, ferdie, [{ to: coldkey, amount: rao }]);
  for (let i = 0; node.block.number < transfer.blockNumber; i++) {
    if (i > 500) throw new Error(`block ${transfer.blockNumber} was not finalized`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return transfer;
}

/** A funding request for `transfer`, at `rate` per TAO: fiat = TAO × rate, as finance would enter it. */
export function fundingBody(transfer: LandedTransfer, fiatMinor: number, currency: string, rate: string, reference: string) {
  return {
    transfer_block_number: transfer.blockNumber,
    transfer_extrinsic_index: transfer.index,
    transfer_extrinsic_hash: transfer.hash,
    fiat_minor: fiatMinor,
    currency,
    rate,
    rate_source: 'otc desk quote',
    rate_read_at: '2026-12-01T12:00:00Z',
    source: 'otc',
    external_reference: reference,
  };
}
