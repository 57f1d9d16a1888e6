import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { GpuBackend, type BackendTarget } from './gpu-backend.entity.js';
import { backendsEnv, type ConfigBackend } from './backends.env.js';
import { appEnv } from '../platform/config/app.env.js';
import { HealthStore } from './health-store.js';

/** What the test-card renderer (the reference backend) calls itself in its health answer. */
const TEST_RENDERER = 'test-card';

/**
 * Every backend that may take work: for live videos the configured ones and the enabled rows
 * operators registered; for test-mode videos the sandbox pool (SANDBOX_GPU_BACKENDS) only.
 */
@Injectable()
export class BackendPool {
  constructor(
    @InjectRepository(GpuBackend) private readonly rows: Repository<GpuBackend>,
    private readonly health: HealthStore,
  ) {}

  async targets(livemode: boolean): Promise<BackendTarget[]> {
    if (!livemode) {
      const sandbox = sandboxTargets();
      if (sandbox.length > 0 || appEnv.get().NODE_ENV === 'production') return sandbox;
      // Outside production with no sandbox pool, test videos share the model-less config backends
      // (dev's and the tests' reference backends), never a backend registered for a model nor one
      // whose health says it renders something other than the test card: those are real GPUs.
      const readings = await this.health.all();
      return configTargets().filter((b) => b.model === null && (readings.get(b.id)?.renderer ?? TEST_RENDERER) === TEST_RENDERER);
    }
    return liveTargets(this.rows);
  }
}

/** The live pool: the configured backends and the enabled rows operators registered. */
export async function liveTargets(rows: Repository<GpuBackend>): Promise<BackendTarget[]> {
  const registered = await rows.find({ where: { enabled: true }, order: { id: 'ASC' } });
  return [...configTargets(), ...registered.map(fromRow)];
}

export function sandboxTargets(): BackendTarget[] {
  return toTargets(backendsEnv.get().SANDBOX_GPU_BACKENDS);
}

function toTargets(list: ConfigBackend[]): BackendTarget[] {
  return list.map((b) => ({
    id: b.id,
    url: b.url,
    protocol: b.protocol,
    model: b.model ?? null,
    modelRevision: b.model_revision,
    maxConcurrency: b.max_concurrency,
    authHeader: b.auth_header,
    source: 'config',
  }));
}

export function configTargets(): BackendTarget[] {
  const env = backendsEnv.get();
  const listed: BackendTarget[] = [...toTargets(env.GPU_BACKENDS)];
  if (env.GPU_BACKEND_URL) {
    listed.push({
      id: 'cfg_default',
      url: env.GPU_BACKEND_URL,
      protocol: 'cog',
      model: null,
      modelRevision: null,
      maxConcurrency: env.GPU_BACKEND_MAX_CONCURRENCY,
      authHeader: null,
      source: 'config',
    });
  }
  return listed;
}

export const fromRow = (b: GpuBackend): BackendTarget => ({
  id: b.id,
  url: b.url,
  protocol: b.protocol,
  model: b.model,
  modelRevision: b.modelRevision,
  maxConcurrency: b.maxConcurrency,
  authHeader: b.authHeader,
  source: 'api',
});
