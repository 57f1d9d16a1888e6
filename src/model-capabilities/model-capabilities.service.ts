import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { newId } from '../platform/http/ids.js';
import { notFound } from '../platform/http/domain-error.js';
import { ModelCapability } from './model-capability.entity.js';
import { builtInCapabilities, type ModelCapabilities } from './model-capabilities.js';
import { AuditService, type Actor } from '../audit/index.js';
import { KeyCache, type OwnerCache } from '../keys/index.js';

export interface EffectiveCapabilities {
  /** The override's id; null when the defaults from code apply. */
  id: string | null;
  model: string;
  source: 'override' | 'default';
  capabilities: ModelCapabilities;
}

/** A model's capabilities: the operator's override when there is one, else the defaults in code. */
@Injectable()
export class ModelCapabilitiesService {
  /**
   * Every submit checks its output against the model's capabilities (issue 36: a statement per
   * submit): kept with the key cache's invalidation, under the owner `model-capabilities:<model>`,
   * which a change publishes to every replica after it commits.
   */
  private readonly cache: OwnerCache<EffectiveCapabilities>;

  constructor(
    @InjectRepository(ModelCapability) private readonly rows: Repository<ModelCapability>,
    private readonly audit: AuditService,
    private readonly keys: KeyCache,
  ) {
    this.cache = keys.companion<EffectiveCapabilities>();
  }

  forModel(model: string): Promise<EffectiveCapabilities> {
    return this.cache.get(cacheOwner(model), () => this.read(model));
  }

  private async read(model: string): Promise<EffectiveCapabilities> {
    const row = await this.rows.findOneBy({ model });
    return row
      ? { id: row.id, model, source: 'override', capabilities: row.capabilities }
      : { id: null, model, source: 'default', capabilities: builtInCapabilities(model) };
  }

  async forModels(models: string[]): Promise<Map<string, EffectiveCapabilities>> {
    const all = await Promise.all(models.map((m) => this.forModel(m)));
    return new Map(all.map((c) => [c.model, c]));
  }

  listOverrides(): Promise<ModelCapability[]> {
    return this.rows.find({ order: { model: 'ASC' } });
  }

  /** One record per model: a second PUT for the same model replaces the first (atomically, so racing PUTs cannot both insert). */
  async upsert(actor: Actor, model: string, capabilities: ModelCapabilities): Promise<{ row: ModelCapability; created: boolean }> {
    const id = newId('modelCapability');
    const result = await this.rows.manager.transaction(async (tx) => {
      const before = await tx.findOneBy(ModelCapability, { model });
      await tx
        .createQueryBuilder(ModelCapability, 'm')
        .insert()
        .values({ id, model, capabilities })
        .orUpdate(['capabilities', 'updated_at'], ['model'])
        .execute();
      const row = await tx.findOneByOrFail(ModelCapability, { model });
      const created = row.id === id;
      await this.audit.record(tx, actor, {
        tenantId: null,
        action: created ? 'model_capabilities.created' : 'model_capabilities.replaced',
        targetType: 'model_capabilities',
        targetId: row.id,
        before: before && { model, capabilities: before.capabilities },
        after: { model, capabilities: row.capabilities },
      });
      return { row, created };
    });
    await this.keys.invalidate(cacheOwner(model));
    return result;
  }

  async remove(actor: Actor, id: string): Promise<ModelCapability> {
    const removed = await this.rows.manager.transaction(async (tx) => {
      const row = await tx.findOneBy(ModelCapability, { id });
      if (!row) throw notFound('model capability override', id);
      await tx.delete(ModelCapability, { id });
      await this.audit.record(tx, actor, {
        tenantId: null,
        action: 'model_capabilities.deleted',
        targetType: 'model_capabilities',
        targetId: id,
        before: { model: row.model, capabilities: row.capabilities },
      });
      return row;
    });
    await this.keys.invalidate(cacheOwner(removed.model));
    return removed;
  }
}

const cacheOwner = (model: string) => `model-capabilities:${model}`;
