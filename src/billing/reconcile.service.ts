import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { StripeClient } from './stripe/stripe-client.js';
import { billingEnv } from './billing.env.js';
import { StripeEventReads } from './stripe/stripe-event-reads.service.js';
import { METER_STEPS, meterStepsDue } from './stripe/meter-event-relay.service.js';
import { meterBacklog, meterCountsIn, meterSecondsByTenant, meterUnsentIn, monthRange, settlementGaps, surchargedResolutions } from '../usage/index.js';
import { unbilledUsage } from './subscriptions/unbilled-usage.js';
import { succeededLiveVideos } from '../videos/index.js';

export interface ReconcileGap {
  kind:
    | 'succeeded_without_usage'
    | 'usage_without_success'
    | 'meter_event_unsent'
    | 'meter_event_stuck'
    | 'stripe_total_mismatch'
    | 'stripe_event_unmatched'
    | 'usage_unbilled';
  /** Null when no tenant owns what the gap is about (an unmatched Stripe event). */
  tenant_id: string | null;
  /** The video / usage row, when the gap is one row. */
  video_id?: string;
  /** The Stripe event, for stripe_event_unmatched. */
  event_id?: string;
  detail: string;
}

/**
 * Compares, for one month, succeeded live videos, usage rows, meter events we marked sent and
 * Stripe's meter event summaries per customer, and names every gap, including Stripe events that
 * no tenant owns (see GET /v1/admin/billing/events?status=unmatched).
 */
@Injectable()
export class ReconcileService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly stripe: StripeClient,
    private readonly events: StripeEventReads,
  ) {}

  async run(period: string) {
    const stripe = this.stripe.require();
    const { start, end } = monthRange(period);
    const gaps: ReconcileGap[] = [];
    const settled = await settlementGaps(this.db, { start, end });
    for (const r of settled.succeededWithoutUsage) {
      gaps.push({ kind: 'succeeded_without_usage', tenant_id: r.tenant_id, video_id: r.id, detail: 'succeeded live video has no usage row' });
    }
    for (const r of settled.usageWithoutSuccess) {
      gaps.push({
        kind: 'usage_without_success',
        tenant_id: r.tenant_id,
        video_id: r.video_id,
        detail: `usage row for a video that is ${r.status ?? 'missing'}`,
      });
    }
    const surcharged = surchargedResolutions();
    for (const r of await meterUnsentIn(this.db, { start, end })) {
      const error = r.meter_last_error ? `, last error: ${r.meter_last_error}` : '';
      if (!r.meter_gave_up_at) {
        gaps.push({
          kind: 'meter_event_unsent',
          tenant_id: r.tenant_id,
          video_id: r.video_id,
          detail: `live usage row not sent to Stripe (${r.meter_attempts} attempts${error})`,
        });
        continue;
      }
      // Given up: the relay will not try again. Say which steps Stripe has and which it lacks.
      const due = meterStepsDue(r, surcharged);
      const name = (c: string) => METER_STEPS.find((s) => s.column === c)!.name;
      const sent = due.filter((c) => r[c]).map(name);
      const missing = due.filter((c) => !r[c]).map(name);
      gaps.push({
        kind: 'meter_event_stuck',
        tenant_id: r.tenant_id,
        video_id: r.video_id,
        detail: `the relay gave up after ${r.meter_attempts} attempts; at Stripe: ${sent.join(', ') || 'nothing'}; missing: ${missing.join(', ')}${error}`,
      });
    }
    const accounts: { tenant_id: string; stripe_customer_id: string }[] = await this.db.query(
      'SELECT tenant_id, stripe_customer_id FROM billing_accounts ORDER BY tenant_id',
    );
    const metered = await meterSecondsByTenant(this.db, { start, end });
    const meter = await this.meterId(stripe);
    for (const a of accounts) {
      const sent = metered.get(a.tenant_id)?.metered ?? 0;
      let stripeTotal = 0;
      if (meter) {
        for await (const s of stripe.billing.meters.listEventSummaries(meter, {
          customer: a.stripe_customer_id,
          start_time: start.getTime() / 1000,
          end_time: end.getTime() / 1000,
        })) {
          stripeTotal += s.aggregated_value;
        }
      }
      if (stripeTotal !== sent) {
        gaps.push({
          kind: 'stripe_total_mismatch',
          tenant_id: a.tenant_id,
          detail: `we sent ${sent} video-seconds, Stripe's meter summary says ${stripeTotal}`,
        });
      }
    }
    for (const u of await unbilledUsage(this.db, stripe, meter, metered)) {
      gaps.push({ kind: 'usage_unbilled', tenant_id: u.tenant_id, detail: `${u.seconds} live video-seconds metered but billed to no one: ${u.reason}` });
    }
    // Money or a subscription Stripe told us about that no tenant owns: nothing was booked for it.
    for (const e of await this.events.unmatched(start, end)) {
      gaps.push({ kind: 'stripe_event_unmatched', tenant_id: null, event_id: e.id, detail: `${e.type} for ${e.objectId}: ${e.outcomeReason}` });
    }
    return {
      object: 'billing_reconciliation' as const,
      period,
      succeeded_live_videos: await succeededLiveVideos(this.db, start, end),
      ...(await meterCountsIn(this.db, { start, end })),
      gaps,
    };
  }

  private async meterId(stripe: NonNullable<ReturnType<StripeClient['get']>>): Promise<string | null> {
    const name = billingEnv.get().STRIPE_METER_EVENT_NAME;
    for await (const m of stripe.billing.meters.list({ status: 'active', limit: 100 })) if (m.event_name === name) return m.id;
    return null;
  }

  /** Live usage not yet accepted by Stripe, and how old the oldest is: the relay's lag; `stuck`: rows it gave up on. */
  async lag() {
    const r = await meterBacklog(this.db);
    return {
      object: 'meter_relay_lag' as const,
      unsent: r.unsent,
      failing: r.failing,
      stuck: r.stuck,
      oldest_unsent_age_seconds: r.oldest_seconds === null ? null : Math.round(r.oldest_seconds),
    };
  }
}
