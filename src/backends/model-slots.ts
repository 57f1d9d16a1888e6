import { Injectable, Module } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { RankedModel } from '../miners/index.js';
import { liveTargets } from './backend-pool.service.js';
import { GpuBackend } from './gpu-backend.entity.js';
import { serves } from './loaded-model.js';

/** How many videos the live pool can run at once for each model: what a model's demand is measured against. */
@Injectable()
export class ModelSlots {
  constructor(@InjectRepository(GpuBackend) private readonly rows: Repository<GpuBackend>) {}

  /** Σ max_concurrency of the enabled live backends that take each model's jobs, as the dispatcher picks them (a model-less backend takes any model's). */
  async forModels(models: RankedModel[]): Promise<number[]> {
    const targets = await liveTargets(this.rows);
    return models.map((m) => targets.filter((b) => serves(b, m)).reduce((n, b) => n + b.maxConcurrency, 0));
  }
}

/** Just the pool's capacity, for the demand gauges of both roles: no controller, no Redis. */
@Module({
  imports: [TypeOrmModule.forFeature([GpuBackend])],
  providers: [ModelSlots],
  exports: [ModelSlots],
})
export class ModelSlotsModule {}
