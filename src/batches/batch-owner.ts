import type { EntityManager } from 'typeorm';
import type { Batch } from './batch.entity.js';
import type { QuotaSubject } from '../limits/index.js';
import { effectiveLimits, type LimitOverrides } from '../core/limits/effective-limits.js';
import { modeLimits } from '../core/limits/mode-limits.js';
import { Plan } from '../plans/index.js';

/** Whose quota a batch's items draw on, and the plan their overage is priced by. */
export interface BatchOwner extends QuotaSubject {
  plan: string;
}

/** Why a batch's key may no longer start videos: the code its waiting items fail with. */
export interface KeyRefusal {
  code: 'api_key_revoked' | 'api_key_expired';
  message: string;
}

/**
 * The key that created the batch as it is now, as the quota scripts need it: the tenant's current
 * plan and overrides (a downgrade applies to the items still waiting) and the key's current budget
 * and lineage. A batch follows its key when that key is rolled (ApiKeysService.roll), so a key
 * that is revoked or past its expiry here was stopped on purpose: its batch stops with it.
 */
export async function batchOwner(db: EntityManager, batch: Pick<Batch, 'tenantId' | 'apiKeyId' | 'livemode'>): Promise<BatchOwner | KeyRefusal> {
  const [row] = (await db.query(
    `select t.plan, t.limit_overrides, k.id as key_id, k.lineage_id, k.monthly_video_seconds, k.revoked_at, k.expires_at
       from tenants t left join api_keys k on k.id = $2 and k.tenant_id = t.id where t.id = $1`,
    [batch.tenantId, batch.apiKeyId],
  )) as { plan: string; limit_overrides: LimitOverrides; key_id: string | null; lineage_id: string | null; monthly_video_seconds: number | null; revoked_at: Date | null; expires_at: Date | null }[];
  if (!row || !row.key_id || row.revoked_at) return { code: 'api_key_revoked', message: 'The API key that created this batch was revoked before this item ran.' };
  if (row.expires_at && row.expires_at.getTime() <= Date.now()) return { code: 'api_key_expired', message: 'The API key that created this batch expired before this item ran.' };
  const plan = await db.findOneByOrFail(Plan, { code: row.plan });
  return {
    tenantId: batch.tenantId,
    livemode: batch.livemode,
    keyLineageId: row.lineage_id!,
    plan: row.plan,
    limits: modeLimits(effectiveLimits(plan, row.limit_overrides), batch.livemode),
    keyBudget: row.monthly_video_seconds,
  };
}

export const isRefusal = (o: BatchOwner | KeyRefusal): o is KeyRefusal => 'code' in o;
