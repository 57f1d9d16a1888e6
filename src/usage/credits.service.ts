import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import { CreditGrant, CreditMovement, type CreditMovementKind, type CreditSource } from './credit.entity.js';
import { currency } from './price-book.js';

/**
 * The credit ledger is ours, not Stripe's (README, "Prepaid credits"): a video's cost is drawn
 * from credits in the transaction that records its usage, oldest-expiring grant first, and an
 * expired grant is never drawn. Stripe is billed only for what credits did not cover.
 */
@Injectable()
export class CreditsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Draws up to `amount` from the tenant's live grants; returns what was drawn. The caller holds the tenant's usage lock. */
  async draw(tx: EntityManager, tenantId: string, videoId: string, amount: number): Promise<number> {
    const grants = (await tx.query(
      `select id, remaining_minor from credit_grants
        where tenant_id = $1 and remaining_minor > 0 and currency = $2 and (expires_at is null or expires_at > now())
        order by expires_at asc nulls last, created_at asc for update`,
      [tenantId, currency()],
    )) as { id: string; remaining_minor: number }[];
    let left = amount;
    for (const g of grants) {
      if (left === 0) break;
      const take = Math.min(left, g.remaining_minor);
      await tx.query('update credit_grants set remaining_minor = remaining_minor - $2 where id = $1', [g.id, take]);
      await tx.insert(CreditMovement, { id: newId('creditMovement'), tenantId, grantId: g.id, kind: 'drawn', amountMinor: -take, videoId });
      left -= take;
    }
    return amount - left;
  }

  /**
   * Adds a grant; a Checkout session id makes it idempotent (then the existing grant, `created` false).
   * A debt left by a claw-back (a grant below zero) is paid from the new grant first.
   */
  async grant(
    g: {
      tenantId: string;
      amountMinor: number;
      source: CreditSource;
      expiresAt: Date | null;
      note?: string | null;
      checkoutSessionId?: string | null;
      paymentIntentId?: string | null;
    },
    manager?: EntityManager,
  ): Promise<{ grant: CreditGrant; created: boolean }> {
    const run = async (tx: EntityManager) => {
      if (g.checkoutSessionId) {
        // Serialises two deliveries of the same session; the unique index is the backstop.
        await tx.query(`select pg_advisory_xact_lock(hashtextextended('leoma:credit-session:' || $1, 0))`, [g.checkoutSessionId]);
        const existing = await tx.findOneBy(CreditGrant, { stripeCheckoutSessionId: g.checkoutSessionId });
        if (existing) return { grant: existing, created: false };
      }
      const grant = tx.create(CreditGrant, {
        id: newId('creditGrant'),
        tenantId: g.tenantId,
        source: g.source,
        amountMinor: g.amountMinor,
        remainingMinor: g.amountMinor,
        currency: currency(),
        expiresAt: g.expiresAt,
        note: g.note ?? null,
        stripeCheckoutSessionId: g.checkoutSessionId ?? null,
        stripePaymentIntentId: g.paymentIntentId ?? null,
      });
      await tx.insert(CreditGrant, grant);
      await tx.insert(CreditMovement, {
        id: newId('creditMovement'),
        tenantId: g.tenantId,
        grantId: grant.id,
        kind: 'granted',
        amountMinor: g.amountMinor,
        videoId: null,
      });
      await this.settleDebts(tx, g.tenantId, grant.id);
      return { grant: await tx.findOneByOrFail(CreditGrant, { id: grant.id }), created: true };
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  /** The tenant's purchased grant a PaymentIntent paid for, if any (refunds and disputes name the payment). */
  purchaseByPaymentIntent(tenantId: string, paymentIntentId: string): Promise<CreditGrant | null> {
    return this.db.getRepository(CreditGrant).findOneBy({ tenantId, stripePaymentIntentId: paymentIntentId, source: 'purchase' });
  }

  /**
   * Takes back up to `amount` of a purchased grant whose payment was refunded or lost in a dispute,
   * never more in total than the grant was worth. What is left on it goes first; what was already
   * spent comes from the tenant's other live grants (soonest-expiring first); the rest leaves the
   * grant below zero: a debt that nothing can be drawn against and that the next grant pays first.
   * Returns what was clawed back.
   */
  async clawBack(tx: EntityManager, grantId: string, amount: number): Promise<number> {
    const [g] = (await tx.query(`select id, tenant_id, amount_minor, remaining_minor, currency from credit_grants where id = $1 for update`, [grantId])) as {
      id: string;
      tenant_id: string;
      amount_minor: number;
      remaining_minor: number;
      currency: string;
    }[];
    if (!g) throw new Error(`credit grant ${grantId} does not exist`);
    const [{ taken }] = (await tx.query(
      `select coalesce(-sum(amount_minor), 0)::int as taken from credit_movements where grant_id = $1 and kind = 'clawed_back'`,
      [grantId],
    )) as { taken: number }[];
    const due = Math.max(0, Math.min(amount, g.amount_minor - taken!));
    if (due === 0) return 0;
    const fromItself = Math.max(0, Math.min(due, g.remaining_minor));
    const others = (await tx.query(
      `select id, remaining_minor from credit_grants
        where tenant_id = $1 and id <> $2 and remaining_minor > 0 and currency = $3 and (expires_at is null or expires_at > now())
        order by expires_at asc nulls last, created_at asc for update`,
      [g.tenant_id, g.id, g.currency],
    )) as { id: string; remaining_minor: number }[];
    let left = due - fromItself;
    for (const o of others) {
      if (left === 0) break;
      const take = Math.min(left, o.remaining_minor);
      await this.move(tx, g.tenant_id, o.id, 'clawed_back', -take);
      left -= take;
    }
    if (fromItself + left > 0) await this.move(tx, g.tenant_id, g.id, 'clawed_back', -(fromItself + left));
    return due;
  }

  /** Pays the tenant's debts (grants below zero) from `grantId`, as far as it goes. */
  private async settleDebts(tx: EntityManager, tenantId: string, grantId: string): Promise<void> {
    const debts = (await tx.query(
      `select id, remaining_minor from credit_grants where tenant_id = $1 and remaining_minor < 0 and currency = $2 order by created_at for update`,
      [tenantId, currency()],
    )) as { id: string; remaining_minor: number }[];
    let [{ remaining_minor: left }] = (await tx.query('select remaining_minor from credit_grants where id = $1', [grantId])) as { remaining_minor: number }[];
    for (const d of debts) {
      if (left! <= 0) break;
      const pay = Math.min(left!, -d.remaining_minor);
      await this.move(tx, tenantId, d.id, 'debt_settled', pay);
      await this.move(tx, tenantId, grantId, 'debt_settled', -pay);
      left! -= pay;
    }
  }

  private async move(tx: EntityManager, tenantId: string, grantId: string, kind: CreditMovementKind, amount: number): Promise<void> {
    await tx.query('update credit_grants set remaining_minor = remaining_minor + $2 where id = $1', [grantId, amount]);
    await tx.insert(CreditMovement, { id: newId('creditMovement'), tenantId, grantId, kind, amountMinor: amount, videoId: null });
  }

  async summary(tenantId: string, limit: number) {
    const grants = await this.db.getRepository(CreditGrant).find({ where: { tenantId }, order: { createdAt: 'DESC' }, take: 100 });
    const movements = await this.db.getRepository(CreditMovement).find({ where: { tenantId }, order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
    const now = Date.now();
    // A debt (a grant clawed back below zero) never expires: it counts until a later grant pays it.
    const live = (g: CreditGrant) => g.currency === currency() && (g.remainingMinor < 0 || !g.expiresAt || g.expiresAt.getTime() > now);
    return {
      object: 'credit_balance' as const,
      currency: currency(),
      available: grants.filter(live).reduce((s, g) => s + g.remainingMinor, 0),
      expired: grants.filter((g) => !live(g)).reduce((s, g) => s + g.remainingMinor, 0),
      grants: grants.map((g) => ({
        id: g.id,
        source: g.source,
        amount: g.amountMinor,
        remaining: g.remainingMinor,
        currency: g.currency,
        note: g.note,
        expires_at: g.expiresAt?.toISOString() ?? null,
        expired: !live(g),
        created_at: g.createdAt.toISOString(),
      })),
      movements: movements.map((m) => ({
        id: m.id,
        kind: m.kind,
        amount: m.amountMinor,
        grant_id: m.grantId,
        video_id: m.videoId,
        created_at: m.createdAt.toISOString(),
      })),
    };
  }
}
