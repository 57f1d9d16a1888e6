import type { TenantPrincipal } from '../core/auth/principal.js';
import type { Limits } from '../core/limits/effective-limits.js';

/** Whose counters: a tenant's live and test modes count apart (test mode has limits of its own). */
export interface QuotaOwner {
  tenantId: string;
  livemode: boolean;
}

/**
 * Whose quota a reservation draws on: the tenant in one mode, the key lineage whose monthly budget
 * it also counts against, and the limits as they are now. A request has it from its key; the batch
 * scheduler builds it from the batch's key and the tenant's current plan, with no request in sight.
 */
export interface QuotaSubject extends QuotaOwner {
  /** The first key of the roll chain: the key budget is counted per lineage, so rolling keeps it. */
  keyLineageId: string;
  /** The tenant's effective limits in this mode (plan, overrides, test-mode caps). */
  limits: Limits;
  /** The key lineage's monthly video-seconds, null when the key has no budget of its own. */
  keyBudget: number | null;
}

export const quotaSubjectOf = (who: TenantPrincipal): QuotaSubject => ({
  tenantId: who.tenantId,
  livemode: who.livemode,
  keyLineageId: who.keyLineageId,
  limits: who.limits,
  keyBudget: who.keyLimits.monthlyVideoSeconds,
});
