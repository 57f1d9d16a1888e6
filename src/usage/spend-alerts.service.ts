import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { EventOutbox, resourceUrl } from '../platform/outbox/event-outbox.js';
import { currentPeriod } from './period.js';
import { SpendAlert, type AlertMetric } from './spend-alert.entity.js';
import { AuditService, type Actor } from '../audit/index.js';
import { KeyCache, type OwnerCache } from '../keys/index.js';
import { currency } from './price-book.js';
import { periodTotals } from './period-totals.js';

/** A tenant may not set more thresholds than this: each is checked on every settled video. */
export const MAX_ALERTS_PER_TENANT = 20;

/** The tightest hard caps a tenant has set, for the reservation to enforce; -1 is no cap. */
export interface SpendCaps {
  amount: number;
  seconds: number;
}

@Injectable()
export class SpendAlertsService {
  /** Hard caps are read by every live submit: kept beside the tenant's cached keys, dropped on every replica when an alert changes. */
  private readonly capsCache: OwnerCache<SpendCaps>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditService,
    private readonly keys: KeyCache,
  ) {
    this.capsCache = keys.companion<SpendCaps>();
  }

  async create(actor: Actor, tenantId: string, a: { metric: AlertMetric; threshold: number; hardCap: boolean }): Promise<SpendAlert> {
    const created = await this.db.transaction(async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(hashtextextended('leoma:alerts:' || $1, 0))`, [tenantId]);
      if ((await tx.countBy(SpendAlert, { tenantId })) >= MAX_ALERTS_PER_TENANT) {
        throw new DomainError('alert_limit_reached', `A tenant may set at most ${MAX_ALERTS_PER_TENANT} alerts; delete one first.`);
      }
      const alert = tx.create(SpendAlert, { id: newId('spendAlert'), tenantId, metric: a.metric, threshold: a.threshold, hardCap: a.hardCap });
      await tx.insert(SpendAlert, alert);
      await this.audit.record(tx, actor, {
        tenantId,
        action: 'billing.alert_created',
        targetType: 'billing_alert',
        targetId: alert.id,
        after: { metric: a.metric, threshold: a.threshold, hard_cap: a.hardCap },
      });
      return tx.findOneByOrFail(SpendAlert, { id: alert.id });
    });
    await this.keys.invalidate(tenantId);
    return created;
  }

  list(tenantId: string): Promise<SpendAlert[]> {
    return this.db.getRepository(SpendAlert).find({ where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async remove(actor: Actor, tenantId: string, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const alert = await tx.findOneBy(SpendAlert, { id, tenantId });
      if (!alert) throw notFound('alert', id);
      await tx.delete(SpendAlert, { id, tenantId });
      await this.audit.record(tx, actor, {
        tenantId,
        action: 'billing.alert_deleted',
        targetType: 'billing_alert',
        targetId: id,
        before: { metric: alert.metric, threshold: alert.threshold, hard_cap: alert.hardCap },
      });
    });
    await this.keys.invalidate(tenantId);
  }

  /** Which of the tenant's alerts fired in a period (for the list). */
  async firedIn(tenantId: string, period: string): Promise<Map<string, Date>> {
    const rows = (await this.db.query(
      'select f.alert_id, f.fired_at from spend_alert_firings f join spend_alerts a on a.id = f.alert_id where a.tenant_id = $1 and f.period = $2',
      [tenantId, period],
    )) as { alert_id: string; fired_at: Date }[];
    return new Map(rows.map((r) => [r.alert_id, r.fired_at]));
  }

  caps(tenantId: string): Promise<SpendCaps> {
    return this.capsCache.get(tenantId, () => this.readCaps(tenantId));
  }

  private async readCaps(tenantId: string): Promise<SpendCaps> {
    const [row] = (await this.db.query(
      `select min(threshold) filter (where metric = 'amount') as amount, min(threshold) filter (where metric = 'seconds') as seconds
         from spend_alerts where tenant_id = $1 and hard_cap`,
      [tenantId],
    )) as { amount: number | null; seconds: number | null }[];
    return { amount: row?.amount ?? -1, seconds: row?.seconds ?? -1 };
  }

  /**
   * Inside the transaction that recorded a live usage row (under the tenant's usage lock): every
   * threshold now reached fires once in this period; the firing row's key makes a second crossing
   * (or a retried settlement) a no-op, and the event goes out through the webhook outbox.
   */
  async fireCrossed(tx: EntityManager, tenantId: string): Promise<void> {
    const alerts = await tx.find(SpendAlert, { where: { tenantId } });
    if (!alerts.length) return;
    const period = currentPeriod();
    const totals = await periodTotals(tx, tenantId, period);
    for (const a of alerts) {
      const value = a.metric === 'amount' ? totals.amount : totals.seconds;
      if (value < a.threshold) continue;
      const [inserted] = (await tx.query(`insert into spend_alert_firings (alert_id, period) values ($1, $2) on conflict do nothing returning alert_id`, [
        a.id,
        period.id,
      ])) as { alert_id: string }[];
      if (!inserted) continue;
      await this.outbox.record(tx, {
        type: 'billing.threshold_reached',
        tenantId,
        subjectId: a.id,
        livemode: true,
        data: {
          id: a.id,
          object: 'billing_alert',
          status: 'reached',
          url: resourceUrl(`/v1/billing/alerts/${a.id}`),
          alert: { metric: a.metric, threshold: a.threshold, hard_cap: a.hardCap, period: period.id, value, currency: currency() },
        },
      });
    }
  }
}
