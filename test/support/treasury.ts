import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { RevenueLedgerService } from '../../src/billing/revenue/revenue-ledger.service.js';
import type { RevenueKind } from '../../src/billing/revenue/revenue-entry.entity.js';
import { AllocationsService } from '../../src/treasury/allocations.service.js';
import type { TestApp } from './test-app.js';
import type { FakeSubtensor } from './fake-subtensor.js';

/** A finance operator's key, created through the admin API as an admin would. */
export async function financeKey(app: TestApp): Promise<string> {
  const res = await app.request('/v1/admin/operators', { method: 'POST', key: app.operatorKey, json: { name: 'Finance', email: `finance-${Date.now()}@leoma.test`, role: 'finance' } });
  if (res.status !== 201) throw new Error(`finance operator not created: ${res.status}`);
  return ((await res.json()) as { secret: string }).secret;
}

let seq = 0;
/**
 * Records a revenue event in billing's ledger (as the Stripe webhook handler does) and runs the
 * treasury's allocator over the ledger; returns the new allocation's id, or null when the ledger
 * already had the event.
 */
export async function allocate(app: TestApp, entry: { amountMinor: bigint; kind?: RevenueKind; stripeInvoiceId?: string; stripeObjectId?: string; tenantId?: string }): Promise<string | null> {
  seq++;
  const kind = entry.kind ?? 'invoice_paid';
  const invoice = entry.stripeInvoiceId ?? `in_test_${seq}`;
  const objectId = entry.stripeObjectId ?? (kind === 'invoice_paid' ? invoice : `re_test_${seq}`);
  const db = app.api.get<DataSource>(getDataSourceToken());
  const isNew = await db.transaction((m) =>
    app.api.get(RevenueLedgerService).record(m, { tenantId: entry.tenantId ?? 'ten_test', kind, amountMinor: entry.amountMinor, currency: 'usd', stripeObjectId: objectId, stripeInvoiceId: invoice, occurredAt: new Date() }),
  );
  await app.api.get(AllocationsService).sweep();
  if (!isNew) return null;
  const [row] = await app.sql('SELECT a.id FROM treasury_allocations a JOIN revenue_entries r ON r.id = a.revenue_entry_id WHERE r.kind = $1 AND r.stripe_object_id = $2', [kind, objectId]);
  return (row?.id as string | undefined) ?? null;
}

/** Polls a burn until `until` holds. */
export async function waitForBurn(app: TestApp, key: string, id: string, until: (b: Record<string, any>) => boolean, timeoutMs = 20_000): Promise<Record<string, any>> {
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

function burnCallIn(ex: { method: { section: string; method: string; args: unknown[] } }): boolean {
  const calls = ex.method.section === 'utility' ? (ex.method.args[0] as { section: string; method: string }[]) : [ex.method];
  return calls.some((c) => c.section === 'subtensorModule' && c.method === 'addStakeBurn');
}
