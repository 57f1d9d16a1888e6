import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { GpuBackend } from './gpu-backend.entity.js';
import { configTargets, fromRow } from './backend-pool.service.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { ConcurrencySlots } from './concurrency-slots.js';
import { HealthStore } from './health-store.js';
import { registrationMismatch } from './loaded-model.js';
import { AuditService, type Actor } from '../audit/index.js';
import { assertBackendUrlAllowed } from './backend-url-check.js';
import type { BackendObject, CreateBackendDto, UpdateBackendDto } from './dto/backend.dto.js';

/** The operators' view of the pool: registered rows they can change, config backends they can only see. */
@Injectable()
export class BackendsAdminService {
  constructor(
    @InjectRepository(GpuBackend) private readonly rows: Repository<GpuBackend>,
    private readonly breaker: CircuitBreaker,
    private readonly slots: ConcurrencySlots,
    private readonly health: HealthStore,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, dto: CreateBackendDto): Promise<BackendObject> {
    await assertBackendUrlAllowed(dto.url);
    const row = this.rows.create({
      id: newId('backend'),
      name: dto.name,
      url: dto.url,
      protocol: dto.protocol ?? 'cog',
      model: dto.model,
      modelRevision: dto.model_revision ?? null,
      maxConcurrency: dto.max_concurrency ?? 1,
      authHeader: dto.auth_header ?? null,
      enabled: dto.enabled ?? true,
    });
    await this.rows.manager.transaction(async (tx) => {
      await tx.insert(GpuBackend, row);
      await this.record(tx, actor, 'backend.created', row.id, null, row);
    });
    return this.present(await this.rows.findOneByOrFail({ id: row.id }));
  }

  async list(): Promise<BackendObject[]> {
    const rows = await this.rows.find({ order: { id: 'ASC' } });
    return Promise.all([...configTargets().map((t) => this.present(t)), ...rows.map((r) => this.present(r))]);
  }

  async get(id: string): Promise<BackendObject> {
    const config = configTargets().find((t) => t.id === id);
    if (config) return this.present(config);
    return this.present(await this.row(id));
  }

  async update(actor: Actor, id: string, dto: UpdateBackendDto): Promise<BackendObject> {
    const row = await this.row(id);
    // Only the revision and the credentials can be cleared; null elsewhere would be a broken row.
    const nulled = (['name', 'url', 'protocol', 'model', 'max_concurrency', 'enabled'] as const).filter((k) => dto[k] === null);
    if (nulled.length) {
      throw new DomainError('validation_failed', nulled.map((k) => `${k}: may not be null`).join('; '), {
        errors: nulled.map((param) => ({ param, code: 'invalid_null', message: 'may not be null' })),
      });
    }
    if (dto.url) await assertBackendUrlAllowed(dto.url);
    const set: Partial<GpuBackend> = {
      name: dto.name,
      url: dto.url,
      protocol: dto.protocol,
      model: dto.model,
      modelRevision: dto.model_revision,
      maxConcurrency: dto.max_concurrency,
      authHeader: dto.auth_header,
      enabled: dto.enabled,
    };
    await this.rows.manager.transaction(async (tx) => {
      await tx.update(GpuBackend, { id: row.id }, Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined)));
      await this.record(tx, actor, 'backend.updated', row.id, row, await tx.findOneByOrFail(GpuBackend, { id: row.id }));
    });
    return this.present(await this.row(id));
  }

  /** In-flight calls finish; new ones stop at once because dispatch reads the pool per job. */
  async remove(actor: Actor, id: string): Promise<void> {
    const row = await this.row(id);
    await this.rows.manager.transaction(async (tx) => {
      await tx.delete(GpuBackend, { id });
      await this.record(tx, actor, 'backend.deleted', id, row, null);
    });
  }

  /** Where a backend points is what matters for a trace (every prompt and image goes there); its credentials never enter the log. */
  private record(tx: EntityManager, actor: Actor, action: string, id: string, before: GpuBackend | null, after: GpuBackend | null): Promise<void> {
    const view = (b: GpuBackend | null) =>
      b && {
        name: b.name,
        url: b.url,
        protocol: b.protocol,
        model: b.model,
        model_revision: b.modelRevision,
        max_concurrency: b.maxConcurrency,
        enabled: b.enabled,
        auth_header_set: b.authHeader !== null,
      };
    return this.audit.record(tx, actor, { tenantId: null, action, targetType: 'backend', targetId: id, before: view(before), after: view(after) });
  }

  private async row(id: string): Promise<GpuBackend> {
    if (configTargets().some((t) => t.id === id)) {
      throw new DomainError('backend_from_config', `Backend '${id}' comes from configuration (GPU_BACKENDS / GPU_BACKEND_URL); change it there.`);
    }
    const row = await this.rows.findOneBy({ id });
    if (!row) throw notFound('backend', id);
    return row;
  }

  private async present(b: GpuBackend | ReturnType<typeof configTargets>[number]): Promise<BackendObject> {
    const isRow = b instanceof GpuBackend;
    const target = isRow ? fromRow(b) : b;
    const [circuit, inFlight, readings] = await Promise.all([this.breaker.state(target.id), this.slots.inFlight(target.id), this.health.all()]);
    const reading = readings.get(target.id);
    return {
      id: target.id,
      object: 'backend',
      source: target.source,
      name: isRow ? b.name : null,
      url: target.url,
      protocol: target.protocol,
      model: target.model,
      model_revision: target.modelRevision,
      max_concurrency: target.maxConcurrency,
      auth_header_set: target.authHeader !== null,
      enabled: isRow ? b.enabled : true,
      in_flight: inFlight,
      circuit,
      health: reading?.status ?? 'unknown',
      health_checked_at: reading?.checked_at ?? null,
      loaded_model: reading?.model ?? null,
      renderer: reading?.renderer ?? null,
      progress: reading?.progress ?? null,
      model_mismatch: registrationMismatch(target, reading),
      created_at: isRow ? b.createdAt.toISOString() : null,
    };
  }
}
