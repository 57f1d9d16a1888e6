import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, LessThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import { Plan } from './plan.entity.js';
import { PlanVersion } from './plan-version.entity.js';
import { DomainError } from '../platform/http/domain-error.js';
import { newId } from '../platform/http/ids.js';
import { RESOLUTIONS, type Resolution } from '../core/video-format.js';

/** What a new price version says; the caller checks who may publish it and records the audit entry. */
export interface PlanPriceInput {
  currency: string;
  baseMinor: number;
  overageMinorPerSecond: Record<Resolution, number>;
  effectiveFrom: Date;
}

type Db = Pick<EntityManager, 'findOne' | 'findOneBy' | 'find'>;

/** Plans (limits) and their price versions. Grandfathering of subscribers is contracts/' job. */
@Injectable()
export class PlansService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(opts: { retired?: boolean } = {}): Promise<Plan[]> {
    return this.db.getRepository(Plan).find({ where: opts.retired ? {} : { retiredAt: IsNull() }, order: { queuePriority: 'DESC' } });
  }

  async get(code: string, db: Db = this.db.manager): Promise<Plan> {
    const plan = await db.findOneBy(Plan, { code });
    if (!plan) throw new DomainError('plan_not_found', `No plan '${code}'.`, { errors: [{ param: 'plan', code: 'plan_not_found', message: 'unknown plan' }] });
    return plan;
  }

  /** A plan a tenant may be put on: it exists and is not retired. */
  async assignable(code: string, db: Db = this.db.manager): Promise<Plan> {
    const plan = await this.get(code, db);
    if (plan.retiredAt)
      throw new DomainError('plan_retired', `Plan '${code}' is retired; choose another.`, {
        errors: [{ param: 'plan', code: 'plan_retired', message: 'retired plan' }],
      });
    return plan;
  }

  async createIn(tx: EntityManager, plan: Omit<Plan, 'retiredAt'>): Promise<Plan> {
    if (await tx.findOneBy(Plan, { code: plan.code })) throw new DomainError('plan_exists', `A plan '${plan.code}' already exists.`);
    const row = tx.create(Plan, { ...plan, retiredAt: null });
    await tx.insert(Plan, row);
    return row;
  }

  async updateIn(tx: EntityManager, code: string, patch: Partial<Omit<Plan, 'code' | 'retiredAt'>>): Promise<{ before: Plan; after: Plan }> {
    const before = await tx.findOne(Plan, { where: { code }, lock: { mode: 'pessimistic_write' } });
    if (!before) throw new DomainError('plan_not_found', `No plan '${code}'.`);
    if (before.retiredAt) throw new DomainError('plan_retired', `Plan '${code}' is retired.`);
    if (Object.keys(patch).length) await tx.update(Plan, { code }, patch);
    return { before, after: { ...before, ...patch } };
  }

  /**
   * The plan's next price version. It must start after the latest one (history is never
   * rewritten) and not in the past, in the plan's currency. The plan row is locked, so two
   * publishers cannot both become version n.
   */
  async publishVersionIn(tx: EntityManager, code: string, input: PlanPriceInput, now = new Date()): Promise<PlanVersion> {
    const plan = await tx.findOne(Plan, { where: { code }, lock: { mode: 'pessimistic_write' } });
    if (!plan) throw new DomainError('plan_not_found', `No plan '${code}'.`);
    if (plan.retiredAt) throw new DomainError('plan_retired', `Plan '${code}' is retired; it gets no new prices.`);
    const latest = await tx.findOne(PlanVersion, { where: { planCode: code }, order: { version: 'DESC' } });
    // A minute's grace: "now" sent by a client is a little in the past by the time it arrives.
    if (input.effectiveFrom.getTime() < now.getTime() - 60_000) {
      throw new DomainError(
        'plan_version_in_past',
        `effective_from ${input.effectiveFrom.toISOString()} is in the past; prices already charged are never rewritten.`,
        { errors: [{ param: 'effective_from', code: 'plan_version_in_past', message: 'must not be in the past' }] },
      );
    }
    if (latest && input.effectiveFrom.getTime() <= latest.effectiveFrom.getTime()) {
      throw new DomainError(
        'plan_version_overlap',
        `Plan '${code}' version ${latest.version} starts ${latest.effectiveFrom.toISOString()}; a new version must start after it.`,
        { errors: [{ param: 'effective_from', code: 'plan_version_overlap', message: `must be after ${latest.effectiveFrom.toISOString()}` }] },
      );
    }
    if (latest && latest.currency.trim() !== input.currency) {
      throw new DomainError(
        'plan_currency_change',
        `Plan '${code}' is priced in ${latest.currency.trim()}; subscriptions cannot change currency. Create a new plan for ${input.currency}.`,
        { errors: [{ param: 'currency', code: 'plan_currency_change', message: `must be ${latest.currency.trim()}` }] },
      );
    }
    const rates = fullRates(input.overageMinorPerSecond);
    const cheaper = RESOLUTIONS.filter((r) => rates[r] < rates['480p']);
    if (cheaper.length) {
      throw new DomainError('plan_price_invalid', `Overage at ${cheaper.join(', ')} may not cost less than at 480p.`, {
        errors: cheaper.map((r) => ({ param: `overage_per_second.${r}`, code: 'plan_price_invalid', message: 'below the 480p rate' })),
      });
    }
    const row = tx.create(PlanVersion, {
      id: newId('planVersion'),
      planCode: code,
      version: (latest?.version ?? 0) + 1,
      effectiveFrom: input.effectiveFrom,
      currency: input.currency,
      baseMinor: input.baseMinor,
      overageMinorPerSecond: rates,
      createdAt: new Date(),
    });
    await tx.insert(PlanVersion, row);
    return row;
  }

  async retireIn(tx: EntityManager, code: string): Promise<Plan> {
    const { before } = await this.updateIn(tx, code, {});
    const retiredAt = new Date();
    await tx.update(Plan, { code }, { retiredAt });
    return { ...before, retiredAt };
  }

  versions(code: string, db: Db = this.db.manager): Promise<PlanVersion[]> {
    return db.find(PlanVersion, { where: { planCode: code }, order: { version: 'ASC' } });
  }

  /** The version in force at `at`, or null when the plan has none yet (then the env price list prices it). */
  versionAt(code: string, at: Date, db: Db = this.db.manager): Promise<PlanVersion | null> {
    return db.findOne(PlanVersion, { where: { planCode: code, effectiveFrom: LessThanOrEqual(at) }, order: { effectiveFrom: 'DESC' } });
  }

  version(code: string, version: number, db: Db = this.db.manager): Promise<PlanVersion | null> {
    return db.findOneBy(PlanVersion, { planCode: code, version });
  }
}

/** Every resolution priced: one not given costs what the lowest given one does. */
function fullRates(rates: Partial<Record<Resolution, number>>): Record<Resolution, number> {
  const lowest = Math.min(...Object.values(rates).filter((v): v is number => v !== undefined));
  return Object.fromEntries(RESOLUTIONS.map((r) => [r, rates[r] ?? lowest])) as Record<Resolution, number>;
}
