import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, LessThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import { AuditService, type Actor } from '../audit/index.js';
import { PlansService } from '../plans/index.js';
import { TenantsService } from '../tenants/index.js';
import { currentPeriod } from '../usage/index.js';
import { DomainError } from '../platform/http/domain-error.js';
import { newId } from '../platform/http/ids.js';
import { RESOLUTIONS, type Resolution } from '../core/video-format.js';
import { ContractVersion } from './contract-version.entity.js';
import { PricePin } from './price-pin.entity.js';
import { RateCards } from './rate-cards.service.js';
import type { ContractInput } from './contract-input.js';

const lockTenant = (tx: EntityManager, tenantId: string) => tx.query(`select pg_advisory_xact_lock(hashtextextended('leoma:contract:' || $1, 0))`, [tenantId]);

/**
 * Per-tenant contracts: each change is the next version, checked whole before anything is written
 * and written in one transaction with its audit entry. A version takes effect at the next period
 * boundary unless `effective_from` says otherwise; when it does, its limits (its included seconds
 * among them) and its plan are written onto the tenant, so limits follow the contract.
 */
@Injectable()
export class ContractsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly plans: PlansService,
    private readonly tenants: TenantsService,
    private readonly rates: RateCards,
    private readonly audit: AuditService,
  ) {}

  async versions(tenantId: string): Promise<ContractVersion[]> {
    await this.tenants.get(tenantId);
    return this.db.getRepository(ContractVersion).find({ where: { tenantId }, order: { version: 'ASC' } });
  }

  async create(actor: Actor, tenantId: string, input: ContractInput, now = new Date()): Promise<ContractVersion> {
    await this.tenants.get(tenantId);
    const version = await this.db.transaction(async (tx) => {
      await lockTenant(tx, tenantId);
      const latest = await tx.findOne(ContractVersion, { where: { tenantId }, order: { version: 'DESC' } });
      const row = await this.build(tx, tenantId, latest, input, now);
      row.createdBy = actor.id;
      await tx.insert(ContractVersion, row);
      await this.audit.record(tx, actor, {
        tenantId,
        action: 'contract.version_created',
        targetType: 'tenant',
        targetId: tenantId,
        before: latest ? view(latest) : null,
        after: view(row),
      });
      if (row.effectiveFrom.getTime() <= now.getTime()) await this.activateIn(tx, actor, row);
      return row;
    });
    await this.tenants.refreshKeys(tenantId);
    return version;
  }

  /**
   * The next term: a version starting where the current term ends (now, if it already has), as
   * long again. `reprice` puts it on the plan's current price (a grandfathered contract renews onto
   * the new price); otherwise the contract's own prices carry over.
   */
  async renew(actor: Actor, tenantId: string, opts: { reprice: boolean; term_end?: string }, now = new Date()): Promise<ContractVersion> {
    const [current] = (await this.versions(tenantId)).slice(-1);
    if (!current) throw new DomainError('contract_not_found', `Tenant ${tenantId} has no contract to renew.`);
    const start = current.termEnd && current.termEnd.getTime() > now.getTime() ? current.termEnd : now;
    const length = current.termEnd ? current.termEnd.getTime() - current.termStart.getTime() : null;
    const end = opts.term_end ?? (length ? new Date(start.getTime() + length).toISOString() : null);
    const input: ContractInput = { effective_from: start.toISOString(), term_start: start.toISOString(), term_end: end };
    if (opts.reprice) {
      const card = await this.rates.forPlan(await this.plans.assignable(current.planCode), start);
      Object.assign(input, { base_amount: card.baseMinor, overage_per_second: card.overagePerSecond });
    }
    return this.create(actor, tenantId, input, now);
  }

  /** Versions whose time has come and whose limits are not yet on the tenant (the worker's loop, and tests). */
  async activateDue(actor: Actor, now = new Date()): Promise<number> {
    const due = await this.db
      .getRepository(ContractVersion)
      .find({ where: { activatedAt: IsNull(), effectiveFrom: LessThanOrEqual(now) }, order: { effectiveFrom: 'ASC' }, take: 100 });
    for (const v of due) {
      await this.db.transaction(async (tx) => {
        await lockTenant(tx, v.tenantId);
        const fresh = await tx.findOneByOrFail(ContractVersion, { id: v.id });
        if (!fresh.activatedAt) await this.activateIn(tx, actor, fresh);
      });
      await this.tenants.refreshKeys(v.tenantId);
    }
    return due.length;
  }

  private async activateIn(tx: EntityManager, actor: Actor, v: ContractVersion): Promise<void> {
    // A later version already in force wins; this one only records that its time passed.
    const newer = await tx.findOne(ContractVersion, {
      where: { tenantId: v.tenantId, activatedAt: IsNull(), effectiveFrom: LessThanOrEqual(new Date()) },
      order: { effectiveFrom: 'DESC' },
    });
    if (!newer || newer.id === v.id) {
      const tenant = await this.tenants.get(v.tenantId);
      if (tenant.plan !== v.planCode) await this.tenants.setPlanIn(tx, actor, v.tenantId, v.planCode);
      await this.tenants.setLimitOverridesIn(tx, actor, v.tenantId, { ...v.limits, included_video_seconds: v.includedVideoSeconds });
      // A contract prices the tenant from now on: a grandfathered list price no longer applies.
      await tx.delete(PricePin, { tenantId: v.tenantId });
    }
    v.activatedAt = new Date();
    await tx.update(ContractVersion, { id: v.id }, { activatedAt: v.activatedAt });
  }

  /** The whole new version, every refusal checked before anything is written. */
  private async build(tx: EntityManager, tenantId: string, latest: ContractVersion | null, input: ContractInput, now: Date): Promise<ContractVersion> {
    const planCode = input.plan ?? latest?.planCode ?? (await this.tenants.get(tenantId)).plan;
    const plan = await this.plans.assignable(planCode, tx);
    const effectiveFrom = input.effective_from ? new Date(input.effective_from) : currentPeriod(now).end;
    if (effectiveFrom.getTime() < now.getTime() - 60_000) {
      throw new DomainError(
        'contract_effective_in_past',
        `effective_from ${effectiveFrom.toISOString()} is in the past; costs already charged are never rewritten.`,
        { errors: [{ param: 'effective_from', code: 'contract_effective_in_past', message: 'must not be in the past' }] },
      );
    }
    if (latest && effectiveFrom.getTime() <= latest.effectiveFrom.getTime()) {
      throw new DomainError(
        'contract_version_overlap',
        `Version ${latest.version} starts ${latest.effectiveFrom.toISOString()}; a new version must start after it.`,
        { errors: [{ param: 'effective_from', code: 'contract_version_overlap', message: `must be after ${latest.effectiveFrom.toISOString()}` }] },
      );
    }
    // What is not said carries over from the current version, or comes from the plan's price.
    const current = await this.rates.forTenant(tenantId, effectiveFrom, tx);
    const listed = latest ? null : await this.rates.forPlan(plan, effectiveFrom);
    const base = listed ?? current;
    const currency = input.currency ?? current.currency;
    if (currency !== current.currency) {
      throw new DomainError('contract_currency_change', `Tenant ${tenantId} is billed in ${current.currency}; a subscription cannot change currency.`, {
        errors: [{ param: 'currency', code: 'contract_currency_change', message: `must be ${current.currency}` }],
      });
    }
    const overage = { ...base.overagePerSecond, ...dropUndefined(input.overage_per_second ?? {}) } as Record<Resolution, number>;
    const money = {
      baseMinor: input.base_amount ?? base.baseMinor,
      commitmentMinor: input.commitment_amount ?? latest?.commitmentMinor ?? 0,
      discountBps: input.discount_bps ?? latest?.discountBps ?? 0,
    };
    const negative = [
      ...(money.baseMinor < 0 ? ['base_amount'] : []),
      // Stripe bills a dearer resolution as a surcharge over the 480p rate: a cheaper one would be a negative price.
      ...RESOLUTIONS.filter((r) => !(overage[r] >= 0) || overage[r] < overage['480p']).map((r) => `overage_per_second.${r}`),
      ...(money.commitmentMinor < 0 ? ['commitment_amount'] : []),
      ...(money.discountBps < 0 || money.discountBps > 10_000 ? ['discount_bps'] : []),
    ];
    if (negative.length) {
      throw new DomainError('contract_price_negative', `This contract would price below zero: ${negative.join(', ')}.`, {
        errors: negative.map((param) => ({
          param,
          code: 'contract_price_negative',
          message:
            param === 'discount_bps'
              ? 'must be 0–10000'
              : param.startsWith('overage')
                ? 'must not be negative nor below the 480p rate'
                : 'must not be negative',
        })),
      });
    }
    const termStart = input.term_start ? new Date(input.term_start) : (latest?.termStart ?? effectiveFrom);
    const termEnd = input.term_end !== undefined ? (input.term_end === null ? null : new Date(input.term_end)) : (latest?.termEnd ?? null);
    if (termEnd && termEnd.getTime() <= termStart.getTime()) {
      throw new DomainError('contract_term_invalid', `term_end ${termEnd.toISOString()} is not after term_start ${termStart.toISOString()}.`, {
        errors: [{ param: 'term_end', code: 'contract_term_invalid', message: 'must be after term_start' }],
      });
    }
    return tx.create(ContractVersion, {
      id: newId('contractVersion'),
      tenantId,
      version: (latest?.version ?? 0) + 1,
      effectiveFrom,
      planCode: plan.code,
      currency,
      ...money,
      includedVideoSeconds: input.included_video_seconds ?? latest?.includedVideoSeconds ?? base.included,
      overageMinorPerSecond: overage,
      termStart,
      termEnd,
      autoRenew: input.auto_renew ?? latest?.autoRenew ?? false,
      poNumber: input.po_number !== undefined ? input.po_number : (latest?.poNumber ?? null),
      taxIds: input.tax_ids ?? latest?.taxIds ?? [],
      billingEmail: input.billing_email !== undefined ? input.billing_email : (latest?.billingEmail ?? null),
      limits: input.limits ?? latest?.limits ?? {},
      activatedAt: null,
      createdBy: '',
      createdAt: new Date(),
    });
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const view = (v: ContractVersion) => {
  const { id: _id, tenantId: _t, createdAt: _c, activatedAt: _a, ...rest } = v;
  return rest;
};
