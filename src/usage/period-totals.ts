import type { EntityManager } from 'typeorm';
import { currentPeriod, type Period } from './period.js';
import { lineageKeys } from '../keys/index.js';

type Db = Pick<EntityManager, 'query'>;

/** A period's live usage so far, from the usage records: what included seconds, alerts, spend caps and their quota counters count. */
export async function periodTotals(
  db: Db,
  tenantId: string,
  period: Pick<Period, 'start' | 'end'> = currentPeriod(),
): Promise<{ seconds: number; amount: number; credits: number }> {
  const [row] = (await db.query(
    `select coalesce(sum(video_seconds), 0)::bigint as seconds, coalesce(sum(amount_minor), 0)::bigint as amount, coalesce(sum(credits_applied_minor), 0)::bigint as credits
       from usage_records where tenant_id = $1 and livemode and created_at >= $2 and created_at < $3`,
    [tenantId, period.start, period.end],
  )) as { seconds: string; amount: string; credits: string }[];
  return { seconds: Number(row!.seconds), amount: Number(row!.amount), credits: Number(row!.credits) };
}

/** Settled seconds of one mode in the period, the source of truth of the quota counters; per key lineage when one is given. */
export async function settledSeconds(
  db: Db,
  owner: { tenantId: string; livemode: boolean },
  period: Pick<Period, 'start' | 'end'> = currentPeriod(),
  lineageId?: string,
): Promise<number> {
  const keys = lineageId === undefined ? null : await lineageKeys(db, owner.tenantId, lineageId);
  const rows: { s: string | null }[] = await db.query(
    `select sum(video_seconds) as s from usage_records
      where tenant_id = $1 and livemode = $5 and created_at >= $2 and created_at < $3 and ($4::text[] is null or api_key_id = any($4))`,
    [owner.tenantId, period.start, period.end, keys, owner.livemode],
  );
  return Number(rows[0]?.s ?? 0);
}

/** Which of these videos the period's usage records already count, with what they count. */
export function recordedAmong(
  db: Db,
  videoIds: string[],
  period: Pick<Period, 'start' | 'end'>,
): Promise<{ video_id: string; video_seconds: number; amount_minor: number; livemode: boolean }[]> {
  return db.query(
    'select video_id, video_seconds, amount_minor, livemode from usage_records where video_id = any($1) and created_at >= $2 and created_at < $3',
    [videoIds, period.start, period.end],
  );
}

/** One live usage row as money reconciliation reads it: what the video cost and how it was priced. */
export interface PricedRow {
  video_id: string;
  resolution: string;
  video_seconds: number;
  overage_seconds: number;
  unit_amount_minor: number;
  amount_minor: number;
  credits_applied_minor: number;
  meter_event_sent_at: Date | null;
}

/** A tenant's live usage rows of a period, oldest first. */
export function pricedRowsIn(db: Db, tenantId: string, period: Pick<Period, 'start' | 'end'>): Promise<PricedRow[]> {
  return db.query(
    `select video_id, resolution, video_seconds, overage_seconds, unit_amount_minor, amount_minor, credits_applied_minor, meter_event_sent_at
       from usage_records where tenant_id = $1 and livemode and created_at >= $2 and created_at < $3 order by created_at, video_id`,
    [tenantId, period.start, period.end],
  );
}
