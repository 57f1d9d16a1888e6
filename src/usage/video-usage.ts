import type { DataSource } from 'typeorm';
import { poolQuery } from '../platform/database/pool-query.js';

/** What a video's `cost` shows: the cost fixed when it settled. */
export interface VideoCost {
  videoId: string;
  amountMinor: number;
  currency: string;
  includedSecondsUsed: number;
  overageSeconds: number;
  creditsAppliedMinor: number;
}

/**
 * The settled cost of each given video that has one. Every poll of a succeeded video and every
 * page of the list reads it, so it is one query straight on pg's pool (unnamed, for PgBouncer) selecting only
 * the cost columns (issue 36: the TypeORM repository read with entity hydration was a third of a
 * poll's own CPU time).
 */
export async function videoCostsOf(db: DataSource, videoIds: string[]): Promise<VideoCost[]> {
  if (!videoIds.length) return [];
  const rows = await poolQuery<{
    video_id: string;
    amount_minor: number;
    currency: string;
    included_seconds_used: number;
    overage_seconds: number;
    credits_applied_minor: number;
  }>(db, 'select video_id, amount_minor, currency, included_seconds_used, overage_seconds, credits_applied_minor from usage_records where video_id = any($1)', [
    videoIds,
  ]);
  return rows.map((r) => ({
    videoId: r.video_id,
    amountMinor: r.amount_minor,
    currency: r.currency,
    includedSecondsUsed: r.included_seconds_used,
    overageSeconds: r.overage_seconds,
    creditsAppliedMinor: r.credits_applied_minor,
  }));
}
