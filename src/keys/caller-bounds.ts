import type { TenantPrincipal } from '../core/auth/principal.js';
import { DomainError } from '../platform/http/domain-error.js';
import type { KeyOptions } from './api-keys.service.js';

/** The settings of a key being created or rolled that a calling key bounds. */
type Bounded = Pick<KeyOptions, 'mode' | 'scopes' | 'expiresAt' | 'rateLimitPerMinute' | 'monthlyVideoSeconds'>;

/**
 * A tenant key can hand out only what it holds itself, so `keys:manage` is no path to more access:
 * not a scope it lacks, not live mode from a test key, and not a later expiry, a higher rate or a
 * larger monthly budget than its own (a cap of null is "none", which is more than any number).
 * Creating and rolling both go through here; rolling checks the target key's settings.
 */
export function assertWithinCaller(who: TenantPrincipal, key: Bounded): void {
  const extra = key.scopes.filter((s) => !who.scopes.includes(s));
  if (extra.length) throw new DomainError('insufficient_scope', `This key cannot grant scope(s) it does not hold: ${extra.join(', ')}.`);
  if (key.mode === 'live' && !who.livemode) throw new DomainError('livemode_required', 'A test key cannot create or roll live keys.');
  const over: string[] = [];
  const expiresAt = key.expiresAt?.getTime() ?? null;
  if (exceeds(expiresAt, who.keyLimits.expiresAt)) over.push('expires_at');
  if (exceeds(key.rateLimitPerMinute ?? null, who.keyLimits.requestsPerMinute)) over.push('rate_limit_per_minute');
  if (exceeds(key.monthlyVideoSeconds ?? null, who.keyLimits.monthlyVideoSeconds)) over.push('monthly_video_seconds');
  if (over.length) {
    throw new DomainError(
      'exceeds_calling_key',
      `This key cannot hand out more than it has itself: ${over.join(', ')} would go beyond the calling key's own.`,
      { fields: over },
    );
  }
}

/**
 * Settings a tenant key leaves out are inherited from it (its expiry and per-key caps), so a
 * created key is bounded by its creator by default rather than refused.
 */
export function inheritFromCaller(who: TenantPrincipal, body: { expires_at?: Date; rate_limit_per_minute?: number; monthly_video_seconds?: number }) {
  return {
    ...body,
    expires_at: body.expires_at ?? (who.keyLimits.expiresAt === null ? undefined : new Date(who.keyLimits.expiresAt)),
    rate_limit_per_minute: body.rate_limit_per_minute ?? who.keyLimits.requestsPerMinute ?? undefined,
    monthly_video_seconds: body.monthly_video_seconds ?? who.keyLimits.monthlyVideoSeconds ?? undefined,
  };
}

/**
 * The lineage a key made by this caller joins: a budgeted caller's own, so the keys it makes
 * spend its budget rather than each getting a fresh one (minting keys would otherwise multiply
 * it); none for a caller without a budget (the new key starts a lineage, and a budget, of its own).
 */
export function budgetLineage(who: TenantPrincipal): string | undefined {
  return who.keyLimits.monthlyVideoSeconds === null ? undefined : who.keyLineageId;
}

/** `cap` null means unlimited: any value exceeds a finite cap only by being larger or unlimited. */
function exceeds(value: number | null, cap: number | null): boolean {
  if (cap === null) return false;
  return value === null || value > cap;
}
