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
 * Settled costs kept for reuse, the oldest dropped first (about 200 bytes each, so at most ~2 MB).
 * A usage record's cost columns are written once, when the video settles (usage-cost.service),
 * and never updated, so a kept cost is never stale: polling a finished video reads only its row.
 * Videos without a record yet are never kept; their next read asks again.
 */
const SETTLED_KEPT = 10_000;
const settled = new Map<string, VideoCost>();

/**
 * The settled cost of each given video that has one. Every poll of a succeeded video and every
 * page of the list reads it: what is not kept is one query straight on pg's pool (unnamed, for
 * PgBouncer) selecting only the cost columns (issue 36: the TypeORM repository read with entity
 * hydration was a third of a poll's own CPU time; the query itself was the poll's second statement).
 */
export async function videoCostsOf(db: DataSource, videoIds: string[]): Promise<VideoCost[]> {
  const found: VideoCost[] = [];
  const missing: string[] = [];
  for (const id of videoIds) {
    const kept = settled.get(id);
    if (kept) found.push(kept);
    else missing.push(id);
  }
  if (!missing.length) return found;
  const rows = await poolQuery<{
    video_id: string;
    amount_minor: number;
    currency: string;
    included_seconds_used: number;
    overage_seconds: number;
    credits_applied_minor: number;
  }>(db, 'select video_id, amount_minor, currency, included_seconds_used, overage_seconds, credits_applied_minor from usage_records where video_id = any($1)', [
    missing,
  ]);
  for (const r of rows) {
    const cost: VideoCost = {
      videoId: r.video_id,
      amountMinor: r.amount_minor,
      currency: r.currency,
      includedSecondsUsed: r.included_seconds_used,
      overageSeconds: r.overage_seconds,
      creditsAppliedMinor: r.credits_applied_minor,
    };
    if (settled.size >= SETTLED_KEPT) settled.delete(settled.keys().next().value!);
    settled.set(cost.videoId, cost);
    found.push(cost);
  }
  return found;
}
