import type { Allocation } from './allocation.entity.js';
import type { Burn } from './burn.entity.js';
import type { Funding } from './funding.entity.js';
import type { AllocationObject, BurnObject, FundingObject, PublicBurnObject } from './dto/treasury.objects.js';
import { treasuryEnv } from './treasury.env.js';

const num = (v: string | null) => (v === null ? null : Number(v));

export function explorerUrl(burn: Pick<Burn, 'blockNumber' | 'extrinsicIndex' | 'extrinsicHash'>): string | null {
  if (burn.blockNumber === null || burn.extrinsicIndex === null) return null;
  return treasuryEnv
    .get()
    .TREASURY_EXPLORER_URL.replaceAll('{block}', burn.blockNumber)
    .replaceAll('{index}', String(burn.extrinsicIndex))
    .replaceAll('{hash}', burn.extrinsicHash ?? '');
}

/** What anyone may see: the chain's facts and our plan, nothing about customers. */
export function presentPublicBurn(b: Burn): PublicBurnObject {
  return {
    object: 'burn',
    id: b.id,
    status: b.status,
    netuid: b.netuid,
    hotkey: b.hotkey,
    signer: b.signer,
    coldkey: b.coldkey,
    currency: b.currency,
    amount_rao: b.amountRao,
    tao_spent_rao: b.taoSpentRao,
    alpha_bought: b.alphaBought,
    alpha_burned: b.alphaBurned,
    fee_rao: b.feeRao,
    price_rao: b.priceRao,
    limit_price_rao: b.limitPriceRao,
    block_number: num(b.blockNumber),
    block_hash: b.blockHash,
    extrinsic_index: b.extrinsicIndex,
    extrinsic_hash: b.extrinsicHash,
    spec_version: b.specVersion,
    memo_hash: b.memoHash,
    explorer_url: explorerUrl(b),
    finalized_at: b.finalizedAt?.toISOString() ?? null,
    created_at: b.createdAt.toISOString(),
  };
}

export function presentBurn(b: Burn, allocations?: BurnObject['allocations']): BurnObject {
  return {
    ...presentPublicBurn(b),
    attempt: b.attempt,
    retry_of: b.retryOf,
    covered_minor: Number(b.coveredMinor),
    expected_alpha: b.expectedAlpha,
    nonce: b.nonce,
    era_birth_block: num(b.eraBirthBlock),
    expires_at_block: num(b.expiresAtBlock),
    failure_reason: b.failureReason,
    verification: b.verification,
    ...(allocations ? { allocations } : {}),
  };
}

export function presentAllocation(a: Allocation): AllocationObject {
  return {
    object: 'allocation',
    id: a.id,
    revenue_entry_id: a.revenueEntryId,
    tenant_id: a.tenantId,
    kind: a.kind,
    stripe_invoice_id: a.stripeInvoiceId,
    revenue_minor: Number(a.revenueMinor),
    currency: a.currency,
    share_bps: a.shareBps,
    policy_version: a.policyVersion,
    amount_minor: Number(a.amountMinor),
    created_at: a.createdAt.toISOString(),
  };
}

export function presentFunding(f: Funding): FundingObject {
  return {
    object: 'funding',
    id: f.id,
    amount_rao: f.amountRao,
    fiat_minor: Number(f.fiatMinor),
    currency: f.currency,
    rate: f.rate,
    rate_source: f.rateSource,
    rate_read_at: f.rateReadAt.toISOString(),
    source: f.source,
    external_reference: f.externalReference,
    transfer:
      f.transferBlockNumber === null
        ? null
        : {
            block_number: Number(f.transferBlockNumber),
            extrinsic_index: f.transferExtrinsicIndex!,
            block_hash: f.transferBlockHash,
            extrinsic_hash: f.transferHash,
            from: f.transferFrom,
          },
    received_at: f.receivedAt.toISOString(),
    created_by: f.createdBy,
    created_at: f.createdAt.toISOString(),
  };
}
