import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError } from '../platform/http/domain-error.js';
import { Allocation } from './allocation.entity.js';
import { memoText, parseMemo } from './burn-memo.js';
import { COMMITTED } from './burn.entity.js';
import { allocationLeaf, merkleProof, rootFromProof, type ProofStep } from './merkle.js';
import { periodAllocations } from './period-allocations.js';
import { periodBounds, periodOf } from './statement.js';
import { TreasuryPeriod } from './treasury-period.entity.js';
import type { AllocationProofObject, InvoiceBurnProofObject } from './dto/period.objects.js';

type Anchor = NonNullable<AllocationProofObject['anchor']>;

/** What anyone holding a proof submits to check it: the leaf's fields, the path and the period. */
export interface ProofToCheck {
  allocation_id: string;
  invoice_id: string | null;
  amount_minor: number | string;
  currency: string;
  policy_version: number;
  period: string;
  path: ProofStep[];
}

export interface ProofCheck {
  ok: boolean;
  root: string;
  anchor: Anchor | null;
  reason: string;
}

/**
 * What a customer's money did: for each allocation of one of its invoices, the burns it funded and
 * the inclusion proof of the allocation in its closed period's Merkle tree, whose root a burn's
 * on-chain memo carries. Scoped to the tenant: another tenant's invoice is not found.
 */
@Injectable()
export class InvoiceProofs {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async forInvoice(tenantId: string, invoiceId: string): Promise<InvoiceBurnProofObject> {
    const allocations = await this.db.getRepository(Allocation).find({ where: { tenantId, stripeInvoiceId: invoiceId }, order: { id: 'ASC' } });
    if (!allocations.length) throw new DomainError('invoice_not_found', 'No invoice of yours with this id has a treasury allocation (it may not be paid yet).');
    return { object: 'invoice_burn_proof', invoice_id: invoiceId, allocations: await Promise.all(allocations.map((a) => this.proofOf(a))) };
  }

  /** Recomputes the leaf and the root from what the holder sent, and compares the root with the memo of the burn that carries the period. */
  async check(p: ProofToCheck): Promise<ProofCheck> {
    const leaf = allocationLeaf({
      allocationId: p.allocation_id,
      invoiceId: p.invoice_id,
      amountMinor: String(p.amount_minor),
      currency: p.currency,
      policyVersion: p.policy_version,
    });
    const root = rootFromProof(leaf, p.path);
    const anchor = await this.anchorOf(p.period, true);
    if (!anchor) return { ok: false, root, anchor, reason: `no finalized burn carries period ${p.period} on chain yet` };
    const onChain = parseMemo(anchor.memo)?.anchor;
    const ok = onChain?.period === p.period && onChain.merkleRoot === root;
    return {
      ok,
      root,
      anchor,
      reason: ok
        ? `the root is in the memo of burn ${anchor.burn_id} (block ${anchor.block_number}, extrinsic ${anchor.extrinsic_index})`
        : 'the root computed from this proof is not the one on chain',
    };
  }

  private async proofOf(a: Allocation): Promise<AllocationProofObject> {
    const period = periodOf(a.createdAt);
    const closed = await this.db.getRepository(TreasuryPeriod).findOneBy({ period });
    let merkle: Pick<AllocationProofObject, 'leaf' | 'leaf_index' | 'leaf_count' | 'path' | 'merkle_root'> = {
      leaf: null,
      leaf_index: null,
      leaf_count: null,
      path: [],
      merkle_root: null,
    };
    if (closed) {
      const { start, end } = periodBounds(period);
      const leaves = (await periodAllocations(this.db.manager, start, end)).map((f) => ({ id: f.allocationId, hash: allocationLeaf(f) }));
      const index = leaves.findIndex((l) => l.id === a.id);
      const hashes = leaves.map((l) => l.hash);
      merkle = { leaf: hashes[index]!, leaf_index: index, leaf_count: hashes.length, path: merkleProof(hashes, index), merkle_root: closed.merkleRoot };
    }
    return {
      allocation_id: a.id,
      invoice_id: a.stripeInvoiceId!,
      kind: a.kind,
      amount_minor: Number(a.amountMinor),
      currency: a.currency,
      policy_version: a.policyVersion ?? 0,
      period,
      period_closed: Boolean(closed),
      ...merkle,
      anchor: closed ? await this.anchorOf(period, false) : null,
      burns: await this.burnsOf(a.id),
    };
  }

  /** The burn carrying `period` in its memo: the finalized one, else (for the customer's view) the one on its way. */
  private async anchorOf(period: string, finalizedOnly: boolean): Promise<Anchor | null> {
    const [row] = (await this.db.query(
      `SELECT b.id, b.status, b.block_number, b.extrinsic_index, b.extrinsic_hash, b.memo_hash, x.statement_sha256, x.merkle_root
         FROM treasury_burn_anchors x JOIN treasury_burns b ON b.id = x.burn_id
        WHERE x.period = $1 AND b.status = ANY($2) ORDER BY (b.status = 'finalized') DESC, b.id DESC LIMIT 1`,
      [period, finalizedOnly ? ['finalized'] : COMMITTED],
    )) as Record<string, any>[];
    if (!row) return null;
    return {
      burn_id: row.id,
      status: row.status,
      block_number: row.block_number === null ? null : Number(row.block_number),
      extrinsic_index: row.extrinsic_index,
      extrinsic_hash: row.extrinsic_hash,
      memo: memoText(row.id, row.memo_hash, { period, statementSha256: row.statement_sha256, merkleRoot: row.merkle_root }),
    };
  }

  /** Its share of each burn's TAO and alpha, pro rata to the cents it contributed (rounded down). */
  private async burnsOf(allocationId: string): Promise<AllocationProofObject['burns']> {
    const rows = (await this.db.query(
      `SELECT b.id, b.status, b.block_number, b.extrinsic_index, ba.amount_minor::text AS part, b.covered_minor::text AS covered, b.tao_spent_rao::text AS tao, b.alpha_burned::text AS alpha
         FROM treasury_burn_allocations ba JOIN treasury_burns b ON b.id = ba.burn_id
        WHERE ba.allocation_id = $1 AND b.status = ANY($2) ORDER BY b.id`,
      [allocationId, COMMITTED],
    )) as Record<string, any>[];
    const share = (total: string | null, part: string, covered: string) =>
      total === null || BigInt(covered) === 0n ? null : ((BigInt(total) * BigInt(part)) / BigInt(covered)).toString();
    return rows.map((r) => ({
      burn_id: r.id,
      status: r.status,
      block_number: r.block_number === null ? null : Number(r.block_number),
      extrinsic_index: r.extrinsic_index,
      amount_minor: Number(r.part),
      tao_rao: share(r.tao, r.part, r.covered),
      alpha: share(r.alpha, r.part, r.covered),
    }));
  }
}
