import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/index.js';
import { isSuspended, planAndStatusOf, TenantsService } from '../../tenants/index.js';
import { BillingAccount } from '../billing-account.entity.js';
import { DUNNING_ACTOR, STRIPE_ACTOR } from '../billing-actor.js';
import { billingEnv } from '../billing.env.js';

/**
 * Dunning: a failed payment makes the tenant past_due (still served); past the grace it is
 * suspended through the tenants' own suspension path; a paid invoice clears both. Each step is
 * audited. Suspension and resumption are idempotent, so a retried event or sweep is harmless.
 */
@Injectable()
export class AccountStanding {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly tenants: TenantsService,
  ) {}

  /** Inside the caller's transaction: the first failure starts the grace period. */
  async markPastDue(tx: EntityManager, account: BillingAccount, invoiceId: string): Promise<void> {
    if (account.pastDueSince) return;
    const since = new Date();
    await tx.update(BillingAccount, { tenantId: account.tenantId }, { pastDueSince: since });
    await this.audit.record(tx, STRIPE_ACTOR, {
      tenantId: account.tenantId,
      action: 'billing.past_due',
      targetType: 'tenant',
      targetId: account.tenantId,
      before: { past_due_since: null },
      after: { past_due_since: since.toISOString(), invoice: invoiceId },
    });
    account.pastDueSince = since;
  }

  /**
   * A paid invoice: resume what non-payment suspended, then clear the dunning state — unless
   * `stillOwed` says another invoice is still past due (asked under the lock, so a failure applied
   * meanwhile is seen). Runs under the tenant's billing lock, so the sweep cannot suspend again in between.
   */
  async markPaid(tenantId: string, invoiceId: string, stillOwed: () => Promise<boolean>): Promise<void> {
    await this.locked(tenantId, async (tx, account) => {
      if (!account || (!account.pastDueSince && !account.suspendedForNonpayment)) return;
      if (await stillOwed()) return;
      if (account.suspendedForNonpayment) {
        if (await isSuspended(tx, tenantId)) await this.tenants.setStatusIn(tx, STRIPE_ACTOR, tenantId, 'active');
      }
      await tx.update(BillingAccount, { tenantId }, { pastDueSince: null, suspendedForNonpayment: false });
      await this.audit.record(tx, STRIPE_ACTOR, {
        tenantId,
        action: 'billing.paid',
        targetType: 'tenant',
        targetId: tenantId,
        before: { past_due_since: account.pastDueSince?.toISOString() ?? null, suspended_for_nonpayment: account.suspendedForNonpayment },
        after: { past_due_since: null, suspended_for_nonpayment: false, invoice: invoiceId },
      });
    });
  }

  /** Suspends every active tenant whose grace is over; returns their ids. */
  async sweep(now = new Date()): Promise<string[]> {
    const cutoff = new Date(now.getTime() - billingEnv.get().BILLING_GRACE_MS);
    const pastDue: { tenant_id: string }[] = await this.db.query(
      'SELECT a.tenant_id FROM billing_accounts a WHERE a.past_due_since IS NOT NULL AND a.past_due_since <= $1 ORDER BY a.tenant_id',
      [cutoff],
    );
    // Only active tenants are due (a suspended one stays past due until it pays), at most 500 a pass.
    const tenants = await planAndStatusOf(
      this.db.manager,
      pastDue.map((a) => a.tenant_id),
    );
    const due = pastDue.filter((a) => tenants.get(a.tenant_id)?.status === 'active').slice(0, 500);
    const suspended: string[] = [];
    for (const { tenant_id: tenantId } of due) {
      await this.locked(tenantId, async (tx, account) => {
        // Paid since the query above: nothing to do.
        if (!account?.pastDueSince || account.pastDueSince > cutoff) return;
        await tx.update(BillingAccount, { tenantId }, { suspendedForNonpayment: true });
        await this.audit.record(tx, DUNNING_ACTOR, {
          tenantId,
          action: 'billing.grace_expired',
          targetType: 'tenant',
          targetId: tenantId,
          after: { suspended_for_nonpayment: true, past_due_since: account.pastDueSince.toISOString() },
        });
        await this.tenants.setStatusIn(tx, DUNNING_ACTOR, tenantId, 'suspended');
        suspended.push(tenantId);
      });
    }
    return suspended;
  }

  /**
   * Runs `fn` in a transaction holding the tenant's billing lock (a transaction-scoped advisory
   * lock), so paying and the sweep never interleave. The tenant's status goes through the tenants'
   * own suspension path in the same transaction; key caches are refreshed after the commit.
   * Subscription changes take the same lock, so everything billing changes on a tenant is serial.
   */
  async locked(tenantId: string, fn: (tx: EntityManager, account: BillingAccount | null) => Promise<void>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('billing:' || $1))`, [tenantId]);
      await fn(tx, await tx.findOneBy(BillingAccount, { tenantId }));
    });
    await this.tenants.refreshKeys(tenantId);
  }
}
