import { Injectable } from '@nestjs/common';
import type { RankedModel } from '../miners/index.js';
import { BackendPool } from './backend-pool.service.js';
import { serves } from './loaded-model.js';

/** How many videos the live pool can run at once for each model: what a model's demand is measured against. */
@Injectable()
export class ModelSlots {
  constructor(private readonly pool: BackendPool) {}

  /** Σ max_concurrency of the enabled live backends that take each model's jobs, as the dispatcher picks them (a model-less backend takes any model's). */
  async forModels(models: RankedModel[]): Promise<number[]> {
    const targets = await this.pool.targets(true);
    return models.map((m) => targets.filter((b) => serves(b, m)).reduce((n, b) => n + b.maxConcurrency, 0));
  }
}
