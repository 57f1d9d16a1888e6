import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, LessThanOrEqual, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { PlansService, type Plan } from '../plans/index.js';
import { KeyCache, type OwnerCache } from '../keys/index.js';
import { tenantPlanOf } from '../tenants/index.js';
import { currency as listCurrency, planPrice, type PriceTerms } from '../usage/index.js';
import { effectiveLimits } from '../core/limits/effective-limits.js';
import { RESOLUTIONS, type Resolution } from '../core/video-format.js';
import { ContractVersion } from './contract-version.entity.js';
import { PricePin } from './price-pin.entity.js';

/**
 * Everything that prices a tenant at an instant, from the first of these that exists: its contract
 * version in force; its grandfathered plan price (a pin); its plan's price version in force; the
 * env price list `BILLING_PLAN_PRICES` (plans with no version in the database yet); else unpriced.
 */
export interface RateCard extends PriceTerms {
  source: 'contract' | 'plan_version' | 'price_list' | 'unpriced';
  plan: string;
  baseMinor: number;
  commitmentMinor: number;
  discountBps: number;
  contractVersion: number | null;
  planVersion: number | null;
}

type Db = Pick<EntityManager, 'findOne' | 'findOneBy' | 'find'>;

/** The rate card every price reads: per-video cost, estimates, quota reservations, /v1/pricing, Stripe. */
@Injectable()
export class RateCards {
  private readonly now: OwnerCache<RateCard>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly plans: PlansService,
    keys: KeyCache,
  ) {
    this.now = keys.companion<RateCard>();
  }

  /**
   * The card in force now, kept beside the tenant's cached keys for what only needs today's price
   * (a submit's spend reservation): five statements a submit no longer makes (issue 36). A plan
   * or contract change refreshes the tenant's keys, dropping it on every replica; a plan price
   * version taking effect on its own is seen within AUTH_CACHE_TTL_SECONDS. Usage is priced with
   * `forTenant` at its own instant, never from here.
   */
  current(tenantId: string): Promise<RateCard> {
    return this.now.get(tenantId, () => this.forTenant(tenantId));
  }

  async forTenant(tenantId: string, at = new Date(), db: Db = this.db.manager): Promise<RateCard> {
    const tenant = await tenantPlanOf(db, tenantId);
    if (!tenant) throw new Error(`rate card: no tenant ${tenantId}`);
    const contract = await this.contractAt(tenantId, at, db);
    if (contract) return contractCard(contract);
    const plan = await this.plans.get(tenant.plan, db);
    const included = effectiveLimits(plan, tenant.limitOverrides).included_video_seconds;
    const pin = await db.findOne(PricePin, {
      where: [
        { tenantId, planCode: plan.code, until: IsNull() },
        { tenantId, planCode: plan.code, until: MoreThan(at) },
      ],
    });
    const pinned = pin ? await this.plans.version(plan.code, pin.planVersion, db) : null;
    return planCard(plan, included, pinned ?? (await this.plans.versionAt(plan.code, at, db)));
  }

  /** A plan's card for someone who is not signed in (the public price list). */
  async forPlan(plan: Plan, at = new Date()): Promise<RateCard> {
    return planCard(plan, plan.includedVideoSeconds, await this.plans.versionAt(plan.code, at));
  }

  contractAt(tenantId: string, at: Date, db: Db = this.db.manager): Promise<ContractVersion | null> {
    return db.findOne(ContractVersion, { where: { tenantId, effectiveFrom: LessThanOrEqual(at) }, order: { effectiveFrom: 'DESC' } });
  }
}

export function contractCard(c: ContractVersion): RateCard {
  return {
    source: 'contract',
    plan: c.planCode,
    currency: c.currency.trim(),
    baseMinor: c.baseMinor,
    included: c.includedVideoSeconds,
    overagePerSecond: c.overageMinorPerSecond,
    commitmentMinor: c.commitmentMinor,
    discountBps: c.discountBps,
    contractVersion: c.version,
    planVersion: null,
  };
}

function planCard(
  plan: Plan,
  included: number,
  version: { version: number; currency: string; baseMinor: number; overageMinorPerSecond: Record<Resolution, number> } | null,
): RateCard {
  const common = { plan: plan.code, included, commitmentMinor: 0, discountBps: 0, contractVersion: null };
  if (version)
    return {
      ...common,
      source: 'plan_version',
      currency: version.currency.trim(),
      baseMinor: version.baseMinor,
      overagePerSecond: version.overageMinorPerSecond,
      planVersion: version.version,
    };
  const listed = planPrice(plan.code);
  if (listed)
    return {
      ...common,
      source: 'price_list',
      currency: listed.currency,
      baseMinor: listed.baseMinor,
      overagePerSecond: listed.overagePerSecond,
      planVersion: null,
    };
  return {
    ...common,
    source: 'unpriced',
    currency: listCurrency(),
    baseMinor: 0,
    overagePerSecond: Object.fromEntries(RESOLUTIONS.map((r) => [r, 0])) as Record<Resolution, number>,
    planVersion: null,
  };
}
