import type { EntityManager } from 'typeorm';
import type { Period } from './period.js';
import type { Resolution } from '../core/video-format.js';

type Db = Pick<EntityManager, 'query'>;

/** The columns recording which of a row's meter steps Stripe accepted (billing's relay names the steps). */
export type MeterStepColumn = 'meter_event_sent_at' | 'meter_surcharge_sent_at' | 'meter_credit_sent_at';

const stamped = (done: readonly MeterStepColumn[]) => done.map((c) => `${c} = now(), `).join('');

/** A live usage row due a meter send, as the relay claims it. */
export type MeterDue = { [c in MeterStepColumn]: Date | null } & {
  video_id: string;
  tenant_id: string;
  video_seconds: number;
  created_at: Date;
  meter_attempts: number;
  resolution: Resolution;
  overage_seconds: number;
  credits_applied_minor: number;
  currency: string;
};

/** Rows due a send: live, not accepted in full, not given up, past their backoff. */
const DUE = 'u.livemode AND u.meter_sent_at IS NULL AND u.meter_gave_up_at IS NULL AND (u.meter_next_attempt_at IS NULL OR u.meter_next_attempt_at <= now())';

/** The tenants with rows due a send (the relay sends only for those with a Stripe customer). */
export async function meterDueTenants(db: Db): Promise<string[]> {
  const rows: { tenant_id: string }[] = await db.query(`SELECT DISTINCT u.tenant_id FROM usage_records u WHERE ${DUE}`);
  return rows.map((r) => r.tenant_id);
}

/**
 * Up to `limit` of the given tenants' rows due a send, oldest first, claimed in the caller's
 * transaction with SKIP LOCKED (relays side by side never claim the same row).
 */
export function claimMeterDue(tx: Db, tenantIds: readonly string[], limit: number): Promise<MeterDue[]> {
  return tx.query(
    `SELECT u.video_id, u.tenant_id, u.video_seconds, u.created_at, u.meter_attempts, u.resolution, u.overage_seconds, u.credits_applied_minor, u.currency,
            u.meter_event_sent_at, u.meter_surcharge_sent_at, u.meter_credit_sent_at
       FROM usage_records u
      WHERE ${DUE} AND u.tenant_id = ANY($1)
      ORDER BY u.created_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [tenantIds, limit],
  );
}

/**
 * A usage record is also the outbox of its Stripe meter events: billing's relay sends them and
 * records here, in the transaction that claimed the row, the steps Stripe accepted.
 */
export async function markMeterSent(tx: Db, videoId: string, done: readonly MeterStepColumn[], attempts: number): Promise<void> {
  await tx.query(`UPDATE usage_records SET ${stamped(done)}meter_sent_at = now(), meter_attempts = $2, meter_last_error = NULL WHERE video_id = $1`, [
    videoId,
    attempts,
  ]);
}

/** An attempt that left steps unsent: retried after `delayMs`, or given up for good (reconciliation names it). */
export async function markMeterFailed(
  tx: Db,
  videoId: string,
  done: readonly MeterStepColumn[],
  f: { attempts: number; error: string | undefined; delayMs: number; giveUp: boolean },
): Promise<void> {
  await tx.query(
    `UPDATE usage_records SET ${stamped(done)}meter_attempts = $2, meter_last_error = $3, meter_next_attempt_at = now() + make_interval(secs => $4::float8 / 1000),
            meter_gave_up_at = CASE WHEN $5::boolean THEN now() END WHERE video_id = $1`,
    [videoId, f.attempts, f.error, f.delayMs, f.giveUp],
  );
}

/** A usage row as the relay's outbox sees it (the columns reconciliation reports on). */
export type MeterRow = { [c in MeterStepColumn]: Date | null } & {
  video_id: string;
  tenant_id: string;
  resolution: string;
  overage_seconds: number;
  credits_applied_minor: number;
  meter_attempts: number;
  meter_last_error: string | null;
  meter_gave_up_at: Date | null;
};

/** Live usage rows of the period Stripe has not accepted in full, with their meter columns. */
export function meterUnsentIn(db: Db, period: Pick<Period, 'start' | 'end'>): Promise<MeterRow[]> {
  return db.query(
    `SELECT u.* FROM usage_records u
        WHERE u.livemode AND u.meter_sent_at IS NULL AND u.created_at >= $1 AND u.created_at < $2 ORDER BY u.video_id`,
    [period.start, period.end],
  );
}

/** The period's live usage rows, and how many of them Stripe accepted in full. */
export async function meterCountsIn(db: Db, period: Pick<Period, 'start' | 'end'>): Promise<{ live_usage_rows: number; meter_events_sent: number }> {
  const [counts] = await db.query(
    `SELECT
        (SELECT count(*) FROM usage_records WHERE livemode AND created_at >= $1 AND created_at < $2)::int AS live_usage_rows,
        (SELECT count(*) FROM usage_records WHERE livemode AND meter_sent_at IS NOT NULL AND created_at >= $1 AND created_at < $2)::int AS meter_events_sent`,
    [period.start, period.end],
  );
  return counts;
}

/** Live usage not yet accepted by Stripe: how many rows, how old the oldest, how many failing, how many given up. */
export async function meterBacklog(db: Db): Promise<{ unsent: number; oldest_seconds: number | null; failing: number; stuck: number }> {
  const [r] = await db.query(
    `SELECT count(*)::int AS unsent, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest_seconds,
            count(*) FILTER (WHERE meter_attempts > 0 AND meter_gave_up_at IS NULL)::int AS failing, count(*) FILTER (WHERE meter_gave_up_at IS NOT NULL)::int AS stuck
       FROM usage_records WHERE livemode AND meter_sent_at IS NULL`,
  );
  return r;
}

/**
 * Per tenant, the period's live seconds whose meter event Stripe accepted (`metered`) and those
 * whose row Stripe accepted in full (`sent`, null when none was); tenants without live usage are absent.
 */
export async function meterSecondsByTenant(db: Db, period: Pick<Period, 'start' | 'end'>): Promise<Map<string, { metered: number; sent: number | null }>> {
  const rows: { tenant_id: string; metered: string | null; sent: string | null }[] = await db.query(
    `SELECT tenant_id, SUM(video_seconds) FILTER (WHERE meter_event_sent_at IS NOT NULL) AS metered, SUM(video_seconds) FILTER (WHERE meter_sent_at IS NOT NULL) AS sent
       FROM usage_records WHERE livemode AND created_at >= $1 AND created_at < $2 GROUP BY tenant_id`,
    [period.start, period.end],
  );
  return new Map(rows.map((r) => [r.tenant_id, { metered: Number(r.metered ?? 0), sent: r.sent === null ? null : Number(r.sent) }]));
}
