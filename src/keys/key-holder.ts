import type { EntityManager } from 'typeorm';
import { effectiveLimits, type LimitOverrides, type Limits } from '../core/limits/effective-limits.js';
import { modeLimits } from '../core/limits/mode-limits.js';
import { Plan } from '../plans/index.js';

/**
 * Whose quota a key's earlier work draws on (the limits module's QuotaSubject, by shape) and the
 * plan its overage is priced by.
 */
export interface KeyHolder {
  tenantId: string;
  livemode: boolean;
  keyLineageId: string;
  plan: string;
  limits: Limits;
  keyBudget: number | null;
}

/** Why a key may no longer start videos: the code its waiting work fails with. */
export interface KeyRefusal {
  code: 'api_key_revoked' | 'api_key_expired';
  message: string;
}

/**
 * Who holds a key as it is now, for work the key started earlier (a batch's items), as the quota
 * scripts need it: the tenant's current plan and overrides (a downgrade applies to the work still
 * waiting) and the key's current budget and lineage. A batch follows its key when that key is
 * rolled (ApiKeysService.roll), so a key that is revoked or past its expiry here was stopped on
 * purpose: the work stops with it.
 */
export async function keyHolder(db: EntityManager, work: { tenantId: string; apiKeyId: string | null; livemode: boolean }): Promise<KeyHolder | KeyRefusal> {
  const [row] = (await db.query(
    `select t.plan, t.limit_overrides, k.id as key_id, k.lineage_id, k.monthly_video_seconds, k.revoked_at, k.expires_at
       from tenants t left join api_keys k on k.id = $2 and k.tenant_id = t.id where t.id = $1`,
    [work.tenantId, work.apiKeyId],
  )) as {
    plan: string;
    limit_overrides: LimitOverrides;
    key_id: string | null;
    lineage_id: string | null;
    monthly_video_seconds: number | null;
    revoked_at: Date | null;
    expires_at: Date | null;
  }[];
  if (!row?.key_id || row.revoked_at) return { code: 'api_key_revoked', message: 'The API key that created this batch was revoked before this item ran.' };
  if (row.expires_at && row.expires_at.getTime() <= Date.now())
    return { code: 'api_key_expired', message: 'The API key that created this batch expired before this item ran.' };
  const plan = await db.findOneByOrFail(Plan, { code: row.plan });
  return {
    tenantId: work.tenantId,
    livemode: work.livemode,
    keyLineageId: row.lineage_id!,
    plan: row.plan,
    limits: modeLimits(effectiveLimits(plan, row.limit_overrides), work.livemode),
    keyBudget: row.monthly_video_seconds,
  };
}

export const isRefusal = (o: KeyHolder | KeyRefusal): o is KeyRefusal => 'code' in o;
