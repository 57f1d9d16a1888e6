import type { EntityManager } from 'typeorm';
import type { Period } from './period.js';

type Db = Pick<EntityManager, 'query'>;

/**
 * Where the period's settlements and videos disagree: succeeded live videos (by completion) with
 * no usage record, and usage records (by creation) whose video is not succeeded or is gone (a
 * failed chained video charged for the segments it delivered is neither). A record and a success
 * (or that failure) commit together, so each entry is a defect for reconciliation to name.
 */
export async function settlementGaps(
  db: Db,
  period: Pick<Period, 'start' | 'end'>,
): Promise<{
  succeededWithoutUsage: { id: string; tenant_id: string }[];
  usageWithoutSuccess: { video_id: string; tenant_id: string; status: string | null }[];
}> {
  const args = [period.start, period.end];
  const succeededWithoutUsage = await db.query(
    `SELECT v.id, v.tenant_id FROM videos v LEFT JOIN usage_records u ON u.video_id = v.id
        WHERE v.status = 'succeeded' AND v.livemode AND v.completed_at >= $1 AND v.completed_at < $2 AND u.video_id IS NULL ORDER BY v.id`,
    args,
  );
  const usageWithoutSuccess = await db.query(
    `SELECT u.video_id, u.tenant_id, v.status FROM usage_records u LEFT JOIN videos v ON v.id = u.video_id
        WHERE u.created_at >= $1 AND u.created_at < $2 AND (v.status IS DISTINCT FROM 'succeeded')
          AND NOT (v.status = 'failed' AND coalesce(v.segments @> '[{"status":"succeeded"}]', false)) ORDER BY u.video_id`,
    args,
  );
  return { succeededWithoutUsage, usageWithoutSuccess };
}
