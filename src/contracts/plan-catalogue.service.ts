import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, type DataSource } from 'typeorm';
import { AuditService, type Actor } from '../audit/index.js';
import { PlansService, type Plan, type PlanPriceInput, type PlanVersion } from '../plans/index.js';
import { TenantsService } from '../tenants/index.js';
import { currentPeriod } from '../usage/index.js';
import { DomainError } from '../platform/http/domain-error.js';
import { ContractVersion } from './contract-version.entity.js';
import { PricePin } from './price-pin.entity.js';
import { RateCards } from './rate-cards.service.js';

/**
 * Plan changes that reach tenants, so they live beside the contracts: a new price version
 * grandfathers the plan's current subscribers (a pin on the version they pay now); retiring a plan
 * is refused while a tenant or a contract still uses it. Plans themselves are plans/' rows.
 */
@Injectable()
export class PlanCatalogue {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly plans: PlansService,
    private readonly tenants: TenantsService,
    private readonly rates: RateCards,
    private readonly audit: AuditService,
  ) {}

  create(actor: Actor, plan: Omit<Plan, 'retiredAt'>, price: Omit<PlanPriceInput, 'effectiveFrom'> | null): Promise<Plan> {
    return this.db.transaction(async (tx) => {
      const row = await this.plans.createIn(tx, plan);
      const version = price ? await this.plans.publishVersionIn(tx, plan.code, { ...price, effectiveFrom: new Date() }) : null;
      await this.audit.record(tx, actor, {
        tenantId: null,
        action: 'plan.created',
        targetType: 'plan',
        targetId: plan.code,
        after: { ...row, price: version && priceView(version) },
      });
      return row;
    });
  }

  update(actor: Actor, code: string, patch: Partial<Omit<Plan, 'code' | 'retiredAt'>>): Promise<Plan> {
    return this.db.transaction(async (tx) => {
      const { before, after } = await this.plans.updateIn(tx, code, patch);
      await this.audit.record(tx, actor, {
        tenantId: null,
        action: 'plan.updated',
        targetType: 'plan',
        targetId: code,
        before: { ...before },
        after: { ...after },
      });
      return after;
    });
  }

  /**
   * The plan's next price (default: from the next period boundary). Its tenants without a contract
   * keep the price they pay now (a pin, until moved explicitly or given a contract); contracts carry
   * their own prices and renew onto the new one with `reprice`.
   */
  publish(
    actor: Actor,
    code: string,
    price: Omit<PlanPriceInput, 'effectiveFrom'> & { effectiveFrom?: Date },
  ): Promise<{ version: PlanVersion; grandfathered: string[] }> {
    return this.db.transaction(async (tx) => {
      const now = new Date();
      // What each of the plan's tenants without a contract pays now, read before the new version exists.
      const keep: { tenantId: string; planVersion: number }[] = [];
      for (const tenantId of await this.tenants.onPlan(code, tx)) {
        if (await this.rates.contractAt(tenantId, now, tx)) continue;
        if (await tx.findOneBy(PricePin, { tenantId, planCode: code })) continue;
        const card = await this.rates.forTenant(tenantId, now, tx);
        if (card.planVersion !== null) keep.push({ tenantId, planVersion: card.planVersion }); // env-list prices have no version to keep
      }
      const version = await this.plans.publishVersionIn(tx, code, { ...price, effectiveFrom: price.effectiveFrom ?? currentPeriod(now).end }, now);
      for (const k of keep) await tx.insert(PricePin, { ...k, planCode: code, until: null, createdAt: now });
      const grandfathered = keep.map((k) => k.tenantId);
      await this.audit.record(tx, actor, {
        tenantId: null,
        action: 'plan.price_published',
        targetType: 'plan',
        targetId: code,
        after: { ...priceView(version), grandfathered },
      });
      return { version, grandfathered };
    });
  }

  retire(actor: Actor, code: string): Promise<Plan> {
    return this.db.transaction(async (tx) => {
      const users = await this.tenants.onPlan(code, tx);
      // Contracts in force moved their tenant onto the plan (counted above); those still to come are counted here.
      const contracts = await tx.count(ContractVersion, { where: { planCode: code, activatedAt: IsNull() } });
      if (users.length || contracts) {
        throw new DomainError(
          'plan_in_use',
          `Plan '${code}' is used by ${users.length} tenant(s)${contracts ? ` and ${contracts} contract version(s)` : ''}; move them to another plan first.`,
          { tenants: users.slice(0, 20) },
        );
      }
      const plan = await this.plans.retireIn(tx, code);
      await this.audit.record(tx, actor, { tenantId: null, action: 'plan.retired', targetType: 'plan', targetId: code, after: { retired_at: plan.retiredAt } });
      return plan;
    });
  }
}

export function priceView(v: PlanVersion) {
  return {
    version: v.version,
    effective_from: v.effectiveFrom.toISOString(),
    currency: v.currency.trim(),
    base_amount: v.baseMinor,
    overage_per_second: v.overageMinorPerSecond,
  };
}
