import type { ContractVersion } from './contract-version.entity.js';
import type { ContractObject } from './dto/contract.objects.js';

export function presentContract(v: ContractVersion): ContractObject {
  return {
    object: 'contract',
    id: v.id,
    tenant_id: v.tenantId,
    version: v.version,
    effective_from: v.effectiveFrom.toISOString(),
    plan: v.planCode,
    currency: v.currency.trim(),
    base_amount: v.baseMinor,
    included_video_seconds: v.includedVideoSeconds,
    overage_per_second: v.overageMinorPerSecond,
    commitment_amount: v.commitmentMinor,
    discount_bps: v.discountBps,
    term_start: v.termStart.toISOString(),
    term_end: v.termEnd?.toISOString() ?? null,
    auto_renew: v.autoRenew,
    po_number: v.poNumber,
    tax_ids: v.taxIds,
    billing_email: v.billingEmail,
    limits: v.limits,
    activated_at: v.activatedAt?.toISOString() ?? null,
    created_at: v.createdAt.toISOString(),
  };
}
