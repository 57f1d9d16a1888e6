import type { DataSource } from 'typeorm';
import type { CachedKey } from './key-cache.service.js';
import { modeLimits } from '../core/limits/mode-limits.js';
import { effectiveLimits } from '../core/limits/effective-limits.js';
import type { Plan } from '../plans/index.js';

/**
 * A tenant key's principal as the guard uses it, by secret hash (bearer keys) or by id (the session
 * keys people/ acts through): one query, so both paths get the same scopes, plan and limits.
 */
export async function loadTenantPrincipal(
  db: Pick<DataSource, 'query'>,
  where: 'k.secret_hash = $1' | 'k.id = $1',
  value: string,
): Promise<CachedKey | undefined> {
  const [row] = (await db.query(
    `select k.id, k.lineage_id, k.tenant_id, k.mode, k.scopes, k.expires_at, k.rate_limit_per_minute, k.monthly_video_seconds, k.api_version,
            t.status, t.plan, t.limit_overrides, t.name, t.billing_mode, t.net_days, row_to_json(p) as plan_row
       from api_keys k join tenants t on t.id = k.tenant_id join plans p on p.code = t.plan
      where ${where} and k.revoked_at is null`,
    [value],
  )) as TenantKeyRow[];
  if (!row) return undefined;
  const p = row.plan_row;
  const plan = {
    code: p.code,
    name: p.name,
    includedVideoSeconds: p.included_video_seconds,
    overageAllowed: p.overage_allowed,
    requestsPerMinute: p.requests_per_minute,
    concurrentVideos: p.concurrent_videos,
    maxDurationSeconds: p.max_duration_seconds,
    maxResolution: p.max_resolution,
    maxBatchSize: p.max_batch_size,
    retentionDays: p.retention_days,
    queuePriority: p.queue_priority,
    uploadsPerDay: p.uploads_per_day,
    uploadsPerMonth: p.uploads_per_month,
    maxQueueSeconds: p.max_queue_seconds,
    maxQueuedVideos: p.max_queued_videos,
    batchCompleteSeconds: p.batch_complete_seconds,
    selfServe: p.self_serve,
    retiredAt: p.retired_at,
  } satisfies Plan;
  return {
    principal: {
      kind: 'tenant',
      tenantId: row.tenant_id,
      keyId: row.id,
      keyLineageId: row.lineage_id,
      livemode: row.mode === 'live',
      scopes: row.scopes,
      plan: row.plan,
      account: { name: row.name, billingMode: row.billing_mode, netDays: row.net_days },
      limits: modeLimits(effectiveLimits(plan, row.limit_overrides), row.mode === 'live'),
      keyLimits: {
        requestsPerMinute: row.rate_limit_per_minute,
        monthlyVideoSeconds: row.monthly_video_seconds,
        expiresAt: row.expires_at ? new Date(row.expires_at).getTime() : null,
      },
      apiVersion: row.api_version,
    },
    owner: row.tenant_id,
    keyExpiresAt: row.expires_at ? new Date(row.expires_at).getTime() : null,
    suspended: row.status === 'suspended',
  };
}

interface TenantKeyRow {
  id: string;
  api_version: string;
  lineage_id: string;
  tenant_id: string;
  mode: string;
  scopes: string[];
  expires_at: Date | null;
  rate_limit_per_minute: number | null;
  monthly_video_seconds: number | null;
  status: string;
  plan: string;
  limit_overrides: Record<string, unknown>;
  name: string;
  billing_mode: string;
  net_days: number | null;
  plan_row: Record<string, any>;
}
