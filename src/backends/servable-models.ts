import { Injectable, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DomainError } from '../platform/http/domain-error.js';
import { BackendPool } from './backend-pool.service.js';
import { GpuBackend } from './gpu-backend.entity.js';
import { HealthStore } from './health-store.js';
import { registrationMismatch } from './loaded-model.js';
import { BackendsRedis } from './redis-client.js';
import { isDigest, type ModelIdentity } from './gpu/model-identity.js';

/** What a customer asked to render with: the king at the time it runs, or one model by digest. */
export type ModelChoice = { rule: 'winner' } | { rule: 'pin'; repo: string; digest: string };

/** `"winner"`, or `"<owner>/<name>@<sha256:…|hf:…>"`. */
export const MODEL_CHOICE = /^(winner|[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}@(sha256:[0-9a-f]{64}|hf:[0-9a-f]{40}))$/;

const sameModel = (a: ModelIdentity, b: ModelIdentity) => a.repo === b.repo && a.digest === b.digest;

/**
 * Which models a customer may pin. For now: a model some enabled backend of the caller's mode
 * reports READY with, by exact digest, in its latest health answer (one registered for another
 * digest does not count: it gets no work). The rollout controller extends this with the kings it
 * retains.
 */
@Injectable()
export class ServableModels {
  constructor(
    private readonly pool: BackendPool,
    private readonly health: HealthStore,
  ) {}

  async pinnable(livemode: boolean): Promise<ModelIdentity[]> {
    const [backends, readings] = await Promise.all([this.pool.targets(livemode), this.health.all()]);
    const found: ModelIdentity[] = [];
    for (const b of backends) {
      const reading = readings.get(b.id);
      const model = reading?.model;
      if (reading?.status !== 'ready' || !model || !isDigest(model.digest) || registrationMismatch(b, reading)) continue;
      if (!found.some((m) => sameModel(m, model))) found.push({ repo: model.repo, digest: model.digest });
    }
    return found.sort((x, y) => `${x.repo}@${x.digest}`.localeCompare(`${y.repo}@${y.digest}`));
  }

  /** `model` as sent (absent: the winner); a pin to a model that cannot be pinned now is refused with the ones that can. */
  async choose(model: string | undefined, livemode: boolean): Promise<ModelChoice> {
    if (model === undefined || model === 'winner') return { rule: 'winner' };
    const at = model.lastIndexOf('@');
    const wanted = { repo: model.slice(0, at), digest: model.slice(at + 1) };
    const pinnable = await this.pinnable(livemode);
    if (!pinnable.some((m) => sameModel(m, wanted))) {
      const names = pinnable.map((m) => `${m.repo}@${m.digest}`);
      throw new DomainError(
        'model_not_servable',
        `No backend serves ${model} now, so it cannot be pinned. ${names.length ? `Models that can be pinned: ${names.join(', ')}.` : 'No model can be pinned right now.'} Send "winner" to follow the king.`,
        { pinnable: names },
      );
    }
    return { rule: 'pin', ...wanted };
  }
}

/** ServableModels for the API side (video, estimate and batch creation). */
@Module({
  imports: [TypeOrmModule.forFeature([GpuBackend])],
  providers: [BackendsRedis, HealthStore, BackendPool, ServableModels],
  exports: [ServableModels],
})
export class ServableModelsModule {}
