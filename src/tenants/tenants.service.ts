import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Tenant, type TenantStatus } from './tenant.entity.js';
import { presentTenant } from './tenant.presenter.js';
import type { CreateTenantDto, UpdateTenantDto } from './dto/tenant-input.dto.js';
import type { LimitOverrides } from '../core/limits/effective-limits.js';
import { newId } from '../platform/http/ids.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { paginate, type ListQuery } from '../platform/http/pagination.js';
import { PlansService } from '../plans/index.js';
import { AuditService } from '../audit/index.js';
import type { Actor } from '../audit/index.js';
import { KeyCache } from '../keys/index.js';

/** Tenants and their contract; every change is audited in its transaction and reaches every process's key cache. */
@Injectable()
export class TenantsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly plans: PlansService,
    private readonly audit: AuditService,
    private readonly cache: KeyCache,
  ) {}

  create(actor: Actor, input: CreateTenantDto): Promise<Tenant> {
    return this.db.transaction((tx) => this.createIn(tx, actor, input));
  }

  /** The same inside a caller's transaction (a sign-up creates its tenant with its first user). */
  async createIn(tx: EntityManager, actor: Actor, input: CreateTenantDto): Promise<Tenant> {
    // On the transaction's connection: a second one from the pool, asked for while this one is held,
    // deadlocks the pool once as many creations run at once as it has connections.
    await this.plans.assignable(input.plan ?? 'free', tx);
    const billing = billingOf(input.billing_mode ?? 'self_serve', input.net_days);
    const tenant = tx.create(Tenant, {
      id: newId('tenant'),
      name: input.name,
      plan: input.plan ?? 'free',
      status: 'active',
      limitOverrides: { ...input.limit_overrides },
      ...billing,
      metadata: input.metadata ?? {},
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await tx.insert(Tenant, tenant);
    await this.audit.record(tx, actor, { tenantId: tenant.id, action: 'tenant.created', targetType: 'tenant', targetId: tenant.id, after: view(tenant) });
    return tenant;
  }

  async get(id: string): Promise<Tenant> {
    const tenant = await this.db.getRepository(Tenant).findOneBy({ id });
    if (!tenant) throw notFound('tenant', id);
    return tenant;
  }

  list(query: ListQuery & { status?: TenantStatus; plan?: string }) {
    const qb = this.db.getRepository(Tenant).createQueryBuilder('t');
    if (query.status) qb.andWhere('t.status = :status', { status: query.status });
    if (query.plan) qb.andWhere('t.plan = :plan', { plan: query.plan });
    return paginate(qb, query);
  }

  async update(actor: Actor, id: string, input: UpdateTenantDto): Promise<Tenant> {
    if (input.plan) await this.plans.assignable(input.plan);
    return this.change(actor, id, 'tenant.updated', (t) => {
      const billing =
        input.billing_mode !== undefined || input.net_days !== undefined
          ? billingOf(input.billing_mode ?? t.billingMode, input.net_days ?? t.netDays ?? undefined)
          : {};
      return {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.plan !== undefined ? { plan: input.plan } : {}),
        // Overrides merge field by field; null clears one (back to the plan's value).
        ...(input.limit_overrides !== undefined ? { limitOverrides: dropNulls({ ...t.limitOverrides, ...input.limit_overrides }) } : {}),
        ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
        ...billing,
      };
    });
  }

  setStatus(actor: Actor, id: string, status: TenantStatus): Promise<Tenant> {
    return this.change(actor, id, status === 'suspended' ? 'tenant.suspended' : 'tenant.resumed', () => ({ status }));
  }

  /**
   * The same suspension path inside a caller's transaction (billing's dunning), so the status
   * change commits or rolls back with the caller's own. The caller runs `refreshKeys` after commit.
   */
  async setStatusIn(tx: EntityManager, actor: Actor, id: string, status: TenantStatus): Promise<Tenant> {
    return this.apply(tx, actor, id, status === 'suspended' ? 'tenant.suspended' : 'tenant.resumed', () => ({ status }));
  }

  /**
   * A plan change that comes from billing (the subscription's prices, or its end), inside billing's
   * transaction and audited as `tenant.plan_changed`. The caller runs `refreshKeys` after commit.
   */
  async setPlanIn(tx: EntityManager, actor: Actor, id: string, plan: string): Promise<Tenant> {
    await this.plans.get(plan, tx);
    return this.apply(tx, actor, id, 'tenant.plan_changed', () => ({ plan }));
  }

  /**
   * The limits a contract version sets (contracts/ applies a version when it takes effect), inside
   * its transaction and audited as `tenant.contract_limits`. The caller runs `refreshKeys` after commit.
   */
  setLimitOverridesIn(tx: EntityManager, actor: Actor, id: string, overrides: LimitOverrides): Promise<Tenant> {
    return this.apply(tx, actor, id, 'tenant.contract_limits', () => ({ limitOverrides: dropNulls({ ...overrides }) }));
  }

  /** Ids of the tenants on a plan (what grandfathering pins and what retiring a plan must not strand). */
  async onPlan(plan: string, db: Pick<EntityManager, 'find'> = this.db.manager): Promise<string[]> {
    return (await db.find(Tenant, { where: { plan }, select: { id: true }, order: { id: 'ASC' } })).map((t) => t.id);
  }

  /** Makes every process's key cache drop the tenant, so a committed status change applies at once. */
  refreshKeys(id: string): Promise<void> {
    return this.cache.invalidate(id);
  }

  private async change(actor: Actor, id: string, action: string, patch: (t: Tenant) => Partial<Tenant>): Promise<Tenant> {
    const tenant = await this.db.transaction((tx: EntityManager) => this.apply(tx, actor, id, action, patch));
    await this.cache.invalidate(id);
    return tenant;
  }

  private async apply(tx: EntityManager, actor: Actor, id: string, action: string, patch: (t: Tenant) => Partial<Tenant>): Promise<Tenant> {
    const before = await tx.findOne(Tenant, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!before) throw notFound('tenant', id);
    const set = patch(before);
    const after = Object.assign(new Tenant(), before, set, { updatedAt: new Date() });
    await tx.update(Tenant, { id }, { ...set, updatedAt: after.updatedAt });
    await this.audit.record(tx, actor, { tenantId: id, action, targetType: 'tenant', targetId: id, before: view(before), after: view(after) });
    return after;
  }
}

function billingOf(mode: Tenant['billingMode'], netDays: number | undefined): Pick<Tenant, 'billingMode' | 'netDays'> {
  if (mode === 'invoice' && netDays === undefined) {
    throw new DomainError('validation_failed', 'net_days is required with invoice billing.', {
      errors: [{ param: 'net_days', code: 'required', message: 'required when billing_mode is invoice' }],
    });
  }
  return { billingMode: mode, netDays: mode === 'invoice' ? netDays! : null };
}

function dropNulls<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}

const view = (t: Tenant) => {
  const { id: _id, object: _o, created_at: _c, ...rest } = presentTenant(t);
  return rest;
};
