import { createHash } from 'node:crypto';
import type { TestApp } from '../support/test-app.js';
import type { FakeSubtensor } from '../support/fake-subtensor.js';
import { allocationLeaf, merkleRoot } from '../../src/treasury/merkle.js';
import { memoText } from '../../src/treasury/burn-memo.js';
import type { CurrencyLine as Line } from '../../src/treasury/statement.js';

/** Burns that hold their funds (src/treasury/burn.entity.ts COMMITTED). */
const LIVE_BURNS = ['planned', 'signed', 'submitted', 'in_block', 'finalized'];

/**
 * The treasury's promises per currency and per proof, read from PostgreSQL (and the chain when
 * given): no currency's cents pay for another's; every allocation names the policy version whose
 * share it took; every closed period's statement is the text its hash names, adds up per currency
 * (closing = opening + flows, and each month opens where the last one closed), agrees with the
 * ledger, and its Merkle root is the root of its allocations; and every finalized burn that
 * carries a period has that period's statement hash and root in its memo on chain.
 */
export async function brokenTreasuryProofInvariants(app: TestApp, opts: { chain?: Pick<FakeSubtensor, 'blockAt' | 'registry'> } = {}): Promise<string[]> {
  const broken: string[] = [];

  // Cents are covered within their currency: a burn's links in one currency never exceed what is allocated in it.
  const perCurrency = await app.sql<{ currency: string; allocated: string; covered: string }>(
    `SELECT a.currency, SUM(a.amount_minor)::text AS allocated,
            (SELECT COALESCE(SUM(ba.amount_minor), 0) FROM treasury_burn_allocations ba JOIN treasury_burns b ON b.id = ba.burn_id JOIN treasury_allocations x ON x.id = ba.allocation_id
              WHERE x.currency = a.currency AND b.status = ANY($1))::text AS covered
       FROM treasury_allocations a GROUP BY a.currency`,
    [LIVE_BURNS],
  );
  for (const c of perCurrency)
    if (BigInt(c.covered) > BigInt(c.allocated)) broken.push(`${c.currency}: burns cover ${c.covered} minor units, only ${c.allocated} are allocated in it`);

  const unversioned = await app.sql<{ id: string; bps: number; version: number | null; policy_bps: number | null }>(
    `SELECT a.id, a.share_bps AS bps, a.policy_version AS version, p.share_bps AS policy_bps
       FROM treasury_allocations a LEFT JOIN treasury_burn_policies p ON p.version = a.policy_version
      WHERE p.version IS NULL OR p.share_bps <> a.share_bps`,
  );
  for (const a of unversioned) broken.push(`allocation ${a.id} took ${a.bps} bps under policy version ${a.version ?? 'none'} (${a.policy_bps ?? '—'} bps)`);

  const periods = await app.sql<{
    period: string;
    starts_at: Date;
    ends_at: Date;
    statement_json: string;
    statement_sha256: string;
    merkle_root: string;
    allocation_count: number;
  }>('SELECT period, starts_at, ends_at, statement_json, statement_sha256, merkle_root, allocation_count FROM treasury_periods ORDER BY period');
  let previous: Map<string, Line> | null = null;
  for (const p of periods) {
    if (createHash('sha256').update(p.statement_json, 'utf8').digest('hex') !== p.statement_sha256)
      broken.push(`${p.period}: the stored statement is not the text its sha256 names`);
    const s = JSON.parse(p.statement_json) as { currencies: Line[]; allocations: { merkle_root: string; count: number } };
    const rows = await app.sql<{ id: string; stripe_invoice_id: string | null; amount_minor: string; currency: string; policy_version: number | null }>(
      `SELECT id, stripe_invoice_id, amount_minor::text, currency, policy_version FROM treasury_allocations WHERE created_at >= $1 AND created_at < $2 ORDER BY id COLLATE "C"`,
      [p.starts_at, p.ends_at],
    );
    const root = merkleRoot(
      rows.map((r) =>
        allocationLeaf({
          allocationId: r.id,
          invoiceId: r.stripe_invoice_id,
          amountMinor: r.amount_minor,
          currency: r.currency,
          policyVersion: r.policy_version ?? 0,
        }),
      ),
    );
    if (root !== p.merkle_root || s.allocations.merkle_root !== p.merkle_root || rows.length !== p.allocation_count)
      broken.push(
        `${p.period}: Merkle root ${p.merkle_root} over ${p.allocation_count} allocations, the allocations dated in it give ${root} over ${rows.length}`,
      );
    const ledger = await app.sql<{ currency: string; revenue: string; allocated: string }>(
      `SELECT currency, SUM(revenue_minor)::text AS revenue, SUM(amount_minor)::text AS allocated FROM treasury_allocations WHERE created_at >= $1 AND created_at < $2 GROUP BY currency`,
      [p.starts_at, p.ends_at],
    );
    const lines = new Map(s.currencies.map((l) => [l.currency, l]));
    for (const l of ledger) {
      const line = lines.get(l.currency);
      if (!line || line.revenue_minor !== l.revenue || line.allocated_minor !== l.allocated)
        broken.push(
          `${p.period} ${l.currency}: the statement says revenue ${line?.revenue_minor}, allocated ${line?.allocated_minor}; the ledger ${l.revenue}, ${l.allocated}`,
        );
    }
    for (const l of s.currencies) {
      const b = (k: keyof Line) => BigInt(l[k]);
      if (b('closing_unfunded_minor') !== b('opening_unfunded_minor') + b('allocated_minor') - b('funded_minor'))
        broken.push(`${p.period} ${l.currency}: unfunded does not carry over (opening + allocated − funded ≠ closing)`);
      if (b('closing_funded_unburned_minor') !== b('opening_funded_unburned_minor') + b('funded_minor') - b('burned_minor'))
        broken.push(`${p.period} ${l.currency}: funded-unburned does not carry over (opening + funded − burned ≠ closing)`);
      const before = previous?.get(l.currency);
      if (previous && (before?.closing_unfunded_minor ?? '0') !== l.opening_unfunded_minor)
        broken.push(
          `${p.period} ${l.currency}: opens with ${l.opening_unfunded_minor} unfunded, the month before closed with ${before?.closing_unfunded_minor ?? 0}`,
        );
    }
    previous = lines;
  }

  const anchored = await app.sql<{
    id: string;
    period: string;
    memo_hash: string;
    statement_sha256: string;
    merkle_root: string;
    block_number: string;
    extrinsic_index: number;
    p_sha: string;
    p_root: string;
  }>(
    `SELECT b.id, x.period, b.memo_hash, x.statement_sha256, x.merkle_root, b.block_number::text, b.extrinsic_index, p.statement_sha256 AS p_sha, p.merkle_root AS p_root
       FROM treasury_burn_anchors x JOIN treasury_burns b ON b.id = x.burn_id JOIN treasury_periods p ON p.period = x.period WHERE b.status = 'finalized'`,
  );
  for (const a of anchored) {
    if (a.statement_sha256 !== a.p_sha || a.merkle_root !== a.p_root)
      broken.push(`burn ${a.id} anchors ${a.period} with a hash or root that is not the period's`);
    if (!opts.chain) continue;
    const ex = opts.chain.registry.createType('Extrinsic', opts.chain.blockAt(Number(a.block_number))!.extrinsics[a.extrinsic_index]!);
    const calls = (ex.method.section === 'utility' ? ex.method.args[0] : [ex.method]) as unknown as {
      section: string;
      method: string;
      args: { toU8a: (bare: boolean) => Uint8Array }[];
    }[];
    const remark = calls.find((c) => c.section === 'system' && c.method === 'remarkWithEvent');
    const onChain = remark ? Buffer.from(remark.args[0]!.toU8a(true)).toString('utf8') : null;
    const expected = memoText(a.id, a.memo_hash, { period: a.period, statementSha256: a.p_sha, merkleRoot: a.p_root });
    if (onChain !== expected) broken.push(`burn ${a.id} at ${a.block_number}-${a.extrinsic_index} carries "${onChain}", expected "${expected}"`);
  }
  const twice = await app.sql<{ period: string; n: number }>(
    `SELECT x.period, count(*)::int AS n FROM treasury_burn_anchors x JOIN treasury_burns b ON b.id = x.burn_id WHERE b.status = 'finalized' GROUP BY x.period HAVING count(*) > 1`,
  );
  for (const t of twice) broken.push(`${t.period} is carried by ${t.n} finalized burns`);
  return broken;
}
